//! rustls client configuration with libpq's `sslmode` semantics.
//!
//! | sslmode | certificate chain | host name |
//! |---|---|---|
//! | `prefer`, `require` without a root certificate | not checked (encryption only, as libpq) | not checked |
//! | `prefer`, `require` with a root certificate, `verify-ca` | checked | not checked |
//! | `verify-full` | checked | checked |
//!
//! Roots are the system's plus the configured PEM file.

use std::path::Path;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::{CertificateError, DigitallySignedStruct, Error, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

use super::{PostgresStoreError, SslMode};

/// What the verifier checks.
#[derive(Debug)]
struct PgVerifier {
    /// Chain verification (`None`: encryption only).
    chain: Option<Arc<WebPkiServerVerifier>>,
    check_name: bool,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PgVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The client configuration for `mode` (not [`SslMode::Disable`]).
pub(crate) fn client_config(
    mode: SslMode,
    root_cert: Option<&Path>,
) -> Result<rustls::ClientConfig, PostgresStoreError> {
    let invalid = |message: String| PostgresStoreError::InvalidConfig { message };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    if let Some(path) = root_cert {
        let certs = CertificateDer::pem_file_iter(path).map_err(|e| {
            invalid(format!(
                "cannot read root certificate {}: {e}",
                path.display()
            ))
        })?;
        for cert in certs {
            let cert = cert
                .map_err(|e| invalid(format!("bad root certificate in {}: {e}", path.display())))?;
            roots
                .add(cert)
                .map_err(|e| invalid(format!("bad root certificate in {}: {e}", path.display())))?;
        }
        if roots.is_empty() {
            return Err(invalid(format!(
                "no certificate found in root certificate file {}",
                path.display()
            )));
        }
    }
    let verify_chain =
        matches!(mode, SslMode::VerifyCa | SslMode::VerifyFull) || root_cert.is_some();
    let chain = if verify_chain {
        for cert in rustls_native_certs::load_native_certs().certs {
            // A system certificate rustls cannot parse is skipped.
            let _ = roots.add(cert);
        }
        Some(
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| invalid(format!("TLS setup failed: {e}")))?,
        )
    } else {
        None
    };
    let verifier = PgVerifier {
        chain,
        check_name: mode == SslMode::VerifyFull,
        provider: provider.clone(),
    };
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(format!("TLS setup failed: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}
