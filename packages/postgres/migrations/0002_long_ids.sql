ALTER TABLE "__sessions_schema__"."session_idempotency_keys" ADD COLUMN "removed" bigint;--> statement-breakpoint
ALTER TABLE "__sessions_schema__"."sessions" ADD COLUMN "user_id_full" text;--> statement-breakpoint
ALTER TABLE "__sessions_schema__"."sessions" ADD COLUMN "id_full" text;