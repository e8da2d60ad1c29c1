CREATE SCHEMA "__sessions_schema__";
--> statement-breakpoint
CREATE TABLE "__sessions_schema__"."session_idempotency_keys" (
	"user_id" text COLLATE "C" NOT NULL,
	"session_id" text COLLATE "C" NOT NULL,
	"key" text COLLATE "C" NOT NULL,
	"first_seq" bigint NOT NULL,
	"last_seq" bigint NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "session_idempotency_keys_pkey" PRIMARY KEY("user_id","session_id","key")
);
--> statement-breakpoint
CREATE TABLE "__sessions_schema__"."session_messages" (
	"user_id" text COLLATE "C" NOT NULL,
	"session_id" text COLLATE "C" NOT NULL,
	"seq" bigint NOT NULL,
	"message" json NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "session_messages_pkey" PRIMARY KEY("user_id","session_id","seq")
);
--> statement-breakpoint
CREATE TABLE "__sessions_schema__"."sessions" (
	"user_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"metadata" json NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"ttl_ms" bigint,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"message_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sessions_pkey" PRIMARY KEY("user_id","id")
);
--> statement-breakpoint
ALTER TABLE "__sessions_schema__"."session_idempotency_keys" ADD CONSTRAINT "session_idempotency_keys_session_fk" FOREIGN KEY ("user_id","session_id") REFERENCES "__sessions_schema__"."sessions"("user_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "__sessions_schema__"."session_messages" ADD CONSTRAINT "session_messages_session_fk" FOREIGN KEY ("user_id","session_id") REFERENCES "__sessions_schema__"."sessions"("user_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_list_idx" ON "__sessions_schema__"."sessions" USING btree ("user_id","updated_at" DESC NULLS LAST,"id");