CREATE TABLE "known_error_solved_by" (
	"problem_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"solved_at" timestamp with time zone NOT NULL,
	CONSTRAINT "known_error_solved_by_problem_id_user_id_pk" PRIMARY KEY("problem_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "known_error_solved_by" ADD CONSTRAINT "known_error_solved_by_problem_id_tickets_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_error_solved_by" ADD CONSTRAINT "known_error_solved_by_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
