-- Velt self-hosting schema for PostgreSQL.
-- Generated from velt_py.database.postgres_adapter; do not edit by hand.
-- Run this when the SDK's `manage_schema` option is False. Identical in velt-node-sdk.

CREATE TABLE IF NOT EXISTS "public"."comment_annotations" (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    data        JSONB       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS "public"."reaction_annotations" (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    data        JSONB       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS "public"."recorder_annotations" (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    data        JSONB       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS "public"."notifications" (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    data        JSONB       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS "public"."activities" (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    data        JSONB       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS "public"."attachments" (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    data        JSONB       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS "public"."users" (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    data        JSONB       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX IF NOT EXISTS "ix_comment_annotations_annotationid" ON "public"."comment_annotations" ((data #>> '{"annotationId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_comment_annotations_metadata_documentid" ON "public"."comment_annotations" ((data #>> '{"metadata","documentId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_comment_annotations_metadata_organizationid" ON "public"."comment_annotations" ((data #>> '{"metadata","organizationId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_comment_annotations_metadata_apikey" ON "public"."comment_annotations" ((data #>> '{"metadata","apiKey"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_comment_annotations_metadata_folderid" ON "public"."comment_annotations" ((data #>> '{"metadata","folderId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_comment_annotations_metadata_organizationid_metadat_7f8e09b8" ON "public"."comment_annotations" ((data #>> '{"metadata","organizationId"}'::text[]), (data #>> '{"metadata","documentId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_comment_annotations_metadata_organizationid_metadat_b2638d09" ON "public"."comment_annotations" ((data #>> '{"metadata","organizationId"}'::text[]), (data #>> '{"metadata","apiKey"}'::text[]), (data #>> '{"metadata","documentId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_comment_annotations_metadata_organizationid_metadat_6a688d21" ON "public"."comment_annotations" ((data #>> '{"metadata","organizationId"}'::text[]), (data #>> '{"metadata","apiKey"}'::text[]), (data #>> '{"annotationId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_comment_annotations_metadata_organizationid_metadat_307c394f" ON "public"."comment_annotations" ((data #>> '{"metadata","organizationId"}'::text[]), (data #>> '{"metadata","apiKey"}'::text[]), (data #>> '{"metadata","folderId"}'::text[]));
CREATE UNIQUE INDEX IF NOT EXISTS "ix_reaction_annotations_annotationid" ON "public"."reaction_annotations" ((data #>> '{"annotationId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_reaction_annotations_metadata_documentid" ON "public"."reaction_annotations" ((data #>> '{"metadata","documentId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_reaction_annotations_metadata_organizationid" ON "public"."reaction_annotations" ((data #>> '{"metadata","organizationId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_reaction_annotations_metadata_apikey" ON "public"."reaction_annotations" ((data #>> '{"metadata","apiKey"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_reaction_annotations_metadata_folderid" ON "public"."reaction_annotations" ((data #>> '{"metadata","folderId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_reaction_annotations_metadata_organizationid_metada_7fab7960" ON "public"."reaction_annotations" ((data #>> '{"metadata","organizationId"}'::text[]), (data #>> '{"metadata","documentId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_reaction_annotations_metadata_organizationid_metada_2ab9e091" ON "public"."reaction_annotations" ((data #>> '{"metadata","organizationId"}'::text[]), (data #>> '{"metadata","apiKey"}'::text[]), (data #>> '{"metadata","documentId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_reaction_annotations_metadata_organizationid_metada_fdde2842" ON "public"."reaction_annotations" ((data #>> '{"metadata","organizationId"}'::text[]), (data #>> '{"metadata","apiKey"}'::text[]), (data #>> '{"annotationId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_reaction_annotations_metadata_organizationid_metada_ecfc737b" ON "public"."reaction_annotations" ((data #>> '{"metadata","organizationId"}'::text[]), (data #>> '{"metadata","apiKey"}'::text[]), (data #>> '{"metadata","folderId"}'::text[]));
CREATE UNIQUE INDEX IF NOT EXISTS "ix_recorder_annotations_annotationid" ON "public"."recorder_annotations" ((data #>> '{"annotationId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_recorder_annotations_metadata_documentid" ON "public"."recorder_annotations" ((data #>> '{"metadata","documentId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_recorder_annotations_metadata_organizationid" ON "public"."recorder_annotations" ((data #>> '{"metadata","organizationId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_recorder_annotations_metadata_apikey" ON "public"."recorder_annotations" ((data #>> '{"metadata","apiKey"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_recorder_annotations_metadata_organizationid_metada_b9bdda14" ON "public"."recorder_annotations" ((data #>> '{"metadata","organizationId"}'::text[]), (data #>> '{"metadata","documentId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_recorder_annotations_metadata_organizationid_metada_66d1afc9" ON "public"."recorder_annotations" ((data #>> '{"metadata","organizationId"}'::text[]), (data #>> '{"metadata","apiKey"}'::text[]), (data #>> '{"metadata","documentId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_recorder_annotations_metadata_organizationid_metada_a000a23a" ON "public"."recorder_annotations" ((data #>> '{"metadata","organizationId"}'::text[]), (data #>> '{"metadata","apiKey"}'::text[]), (data #>> '{"annotationId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_notifications_notificationid" ON "public"."notifications" ((data #>> '{"notificationId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_notifications_organizationid" ON "public"."notifications" ((data #>> '{"organizationId"}'::text[]));
CREATE UNIQUE INDEX IF NOT EXISTS "ix_notifications_organizationid_notificationid" ON "public"."notifications" ((data #>> '{"organizationId"}'::text[]), (data #>> '{"notificationId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_activities_id" ON "public"."activities" ((data #>> '{"id"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_activities_organizationid" ON "public"."activities" ((data #>> '{"organizationId"}'::text[]));
CREATE UNIQUE INDEX IF NOT EXISTS "ix_activities_organizationid_id" ON "public"."activities" ((data #>> '{"organizationId"}'::text[]), (data #>> '{"id"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_activities_metadata_documentid" ON "public"."activities" ((data #>> '{"metadata","documentId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_activities_organizationid_metadata_documentid" ON "public"."activities" ((data #>> '{"organizationId"}'::text[]), (data #>> '{"metadata","documentId"}'::text[]));
CREATE UNIQUE INDEX IF NOT EXISTS "ix_attachments_attachmentid" ON "public"."attachments" ((data #>> '{"attachmentId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_attachments_metadata_documentid" ON "public"."attachments" ((data #>> '{"metadata","documentId"}'::text[]));
CREATE UNIQUE INDEX IF NOT EXISTS "ix_users_userid" ON "public"."users" ((data #>> '{"userId"}'::text[]));
CREATE INDEX IF NOT EXISTS "ix_attachments_attachmentid_jsonb" ON "public"."attachments" ((data #> '{"attachmentId"}'::text[]));
