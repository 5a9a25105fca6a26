CREATE TYPE "public"."kpi_duration" AS ENUM('acknowledge', 'business_acknowledge', 'resolve', 'business_resolve');--> statement-breakpoint
CREATE TABLE "kpi_monthly_duration_buckets" (
	"month" date NOT NULL,
	"team_id" uuid,
	"priority" smallint NOT NULL,
	"kind" "ticket_kind" NOT NULL,
	"duration" "kpi_duration" NOT NULL,
	"bucket" smallint NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"total_ms" numeric DEFAULT '0' NOT NULL,
	"service_id" uuid,
	"category_id" uuid,
	"subcategory_id" uuid,
	CONSTRAINT "kpi_monthly_duration_buckets_key" UNIQUE NULLS NOT DISTINCT("month","duration","team_id","service_id","category_id","subcategory_id","priority","kind","bucket")
);
--> statement-breakpoint
CREATE TABLE "kpi_monthly_team_duration_buckets" (
	"month" date NOT NULL,
	"team_id" uuid,
	"priority" smallint NOT NULL,
	"kind" "ticket_kind" NOT NULL,
	"duration" "kpi_duration" NOT NULL,
	"bucket" smallint NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"total_ms" numeric DEFAULT '0' NOT NULL,
	CONSTRAINT "kpi_monthly_team_duration_buckets_key" UNIQUE NULLS NOT DISTINCT("month","duration","team_id","priority","kind","bucket")
);
--> statement-breakpoint
-- The bucket of a duration in milliseconds (core/kpis/duration-buckets.ts; kpis.db.test.ts holds the
-- bounds equal): 0 under one second, then four buckets a doubling up to 2^29 s. Immutable, so the
-- indexes below can hold it.
CREATE FUNCTION kpi_duration_bucket(ms double precision) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN width_bucket(ms, '{1000,1189,1414,1682,2000,2378,2828,3364,4000,4757,5657,6727,8000,9514,11314,13454,16000,19027,22627,26909,32000,38055,45255,53817,64000,76109,90510,107635,128000,152219,181019,215269,256000,304437,362039,430539,512000,608874,724077,861078,1024000,1217748,1448155,1722156,2048000,2435496,2896309,3444312,4096000,4870992,5792619,6888623,8192000,9741985,11585238,13777247,16384000,19483969,23170475,27554494,32768000,38967939,46340950,55108987,65536000,77935877,92681900,110217975,131072000,155871755,185363800,220435950,262144000,311743510,370727600,440871900,524288000,623487020,741455200,881743800,1048576000,1246974040,1482910400,1763487599,2097152000,2493948080,2965820801,3526975198,4194304000,4987896159,5931641602,7053950396,8388608000,9975792319,11863283203,14107900792,16777216000,19951584637,23726566406,28215801585,33554432000,39903169274,47453132812,56431603169,67108864000,79806338549,94906265624,112863206339,134217728000,159612677097,189812531249,225726412677,268435456000,319225354194,379625062497,451452825355,536870912000}'::double precision[])::smallint;--> statement-breakpoint
-- One duration of a ticket counted (sign 1) or taken away (sign -1) in both histograms, in the UTC
-- month the duration ended, under the ticket's dimensions.
CREATE FUNCTION kpi_rollup_duration(t tickets, ended timestamptz, duration kpi_duration, ms double precision, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi_monthly_team_duration_buckets AS k (month, duration, team_id, priority, kind, bucket, count, total_ms)
    VALUES (date_trunc('month', ended AT TIME ZONE 'UTC')::date, duration, t.team_id, t.priority, t.kind, kpi_duration_bucket(ms), sign, sign * ms::numeric)
    ON CONFLICT ON CONSTRAINT kpi_monthly_team_duration_buckets_key DO UPDATE SET count = k.count + excluded.count, total_ms = k.total_ms + excluded.total_ms;
  INSERT INTO kpi_monthly_duration_buckets AS k (month, duration, team_id, service_id, category_id, subcategory_id, priority, kind, bucket, count, total_ms)
    VALUES (date_trunc('month', ended AT TIME ZONE 'UTC')::date, duration, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, kpi_duration_bucket(ms), sign, sign * ms::numeric)
    ON CONFLICT ON CONSTRAINT kpi_monthly_duration_buckets_key DO UPDATE SET count = k.count + excluded.count, total_ms = k.total_ms + excluded.total_ms;
END $$;--> statement-breakpoint
-- A ticket's durations, counted as kpi_rollup_ticket counts their sums (migration 0058): time to
-- acknowledge in the month of the first response, time to resolve in the month of the resolution, each wall-clock and,
-- where the business time is known, in business hours.
CREATE FUNCTION kpi_rollup_durations(t tickets, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF t.first_response_at IS NOT NULL THEN
    PERFORM kpi_rollup_duration(t, t.first_response_at, 'acknowledge',
      greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000)::float8, sign);
    IF t.business_acknowledge_ms IS NOT NULL THEN
      PERFORM kpi_rollup_duration(t, t.first_response_at, 'business_acknowledge', t.business_acknowledge_ms::float8, sign);
    END IF;
  END IF;
  IF t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL THEN
    PERFORM kpi_rollup_duration(t, t.resolved_at, 'resolve',
      greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000)::float8, sign);
    IF t.business_resolve_ms IS NOT NULL THEN
      PERFORM kpi_rollup_duration(t, t.resolved_at, 'business_resolve', t.business_resolve_ms::float8, sign);
    END IF;
  END IF;
END $$;--> statement-breakpoint
-- The rollups' trigger function (migration 0058) now keeps the histograms too; an update that leaves
-- every column a duration or its dimensions read as it was (most do: the state between open states,
-- the counters, the SLA flag) does not touch them.
CREATE OR REPLACE FUNCTION kpi_rollups_on_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM kpi_rollup_ticket(OLD, -1); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM kpi_rollup_ticket(NEW, 1); END IF;
  IF TG_OP = 'UPDATE' AND (OLD.opened_at, OLD.first_response_at, OLD.resolved_at, OLD.state IN ('resolved', 'closed'), OLD.team_id,
      OLD.service_id, OLD.category_id, OLD.subcategory_id, OLD.priority, OLD.kind, OLD.business_acknowledge_ms, OLD.business_resolve_ms)
    IS NOT DISTINCT FROM (NEW.opened_at, NEW.first_response_at, NEW.resolved_at, NEW.state IN ('resolved', 'closed'), NEW.team_id,
      NEW.service_id, NEW.category_id, NEW.subcategory_id, NEW.priority, NEW.kind, NEW.business_acknowledge_ms, NEW.business_resolve_ms) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM kpi_rollup_durations(OLD, -1); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM kpi_rollup_durations(NEW, 1); END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- The tickets of one bucket in a period, for the exact median once the histograms have found its
-- bucket: by bucket, then the instant the duration ended, with every column the read needs.
CREATE INDEX "tickets_resolve_bucket_idx" ON "tickets" USING btree (kpi_duration_bucket(greatest(0, extract(epoch FROM "resolved_at" - "opened_at") * 1000)::float8), "resolved_at") INCLUDE ("opened_at", "state", "team_id", "service_id", "category_id", "subcategory_id", "priority", "kind") WHERE "resolved_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "tickets_business_resolve_bucket_idx" ON "tickets" USING btree (kpi_duration_bucket("business_resolve_ms"::float8), "resolved_at") INCLUDE ("business_resolve_ms", "state", "team_id", "service_id", "category_id", "subcategory_id", "priority", "kind") WHERE "resolved_at" IS NOT NULL AND "business_resolve_ms" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "tickets_acknowledge_bucket_idx" ON "tickets" USING btree (kpi_duration_bucket(greatest(0, extract(epoch FROM "first_response_at" - "opened_at") * 1000)::float8), "first_response_at") INCLUDE ("opened_at", "team_id", "service_id", "category_id", "subcategory_id", "priority", "kind") WHERE "first_response_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "tickets_business_acknowledge_bucket_idx" ON "tickets" USING btree (kpi_duration_bucket("business_acknowledge_ms"::float8), "first_response_at") INCLUDE ("business_acknowledge_ms", "team_id", "service_id", "category_id", "subcategory_id", "priority", "kind") WHERE "first_response_at" IS NOT NULL AND "business_acknowledge_ms" IS NOT NULL;--> statement-breakpoint
-- Backfill: the histograms of the tickets already there, one pass per table (bench/kpis.ts times it).
INSERT INTO kpi_monthly_team_duration_buckets (month, duration, team_id, priority, kind, bucket, count, total_ms)
SELECT date_trunc('month', ended AT TIME ZONE 'UTC')::date, duration, team_id, priority, kind, kpi_duration_bucket(ms), count(*), sum(ms::numeric) FROM (
  SELECT t.first_response_at, 'acknowledge'::kpi_duration, t.team_id, t.priority, t.kind, greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000)::float8
    FROM tickets t WHERE t.first_response_at IS NOT NULL
  UNION ALL
  SELECT t.first_response_at, 'business_acknowledge', t.team_id, t.priority, t.kind, t.business_acknowledge_ms::float8
    FROM tickets t WHERE t.first_response_at IS NOT NULL AND t.business_acknowledge_ms IS NOT NULL
  UNION ALL
  SELECT t.resolved_at, 'resolve', t.team_id, t.priority, t.kind, greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000)::float8
    FROM tickets t WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
  UNION ALL
  SELECT t.resolved_at, 'business_resolve', t.team_id, t.priority, t.kind, t.business_resolve_ms::float8
    FROM tickets t WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL AND t.business_resolve_ms IS NOT NULL
) durations (ended, duration, team_id, priority, kind, ms)
GROUP BY 1, duration, team_id, priority, kind, kpi_duration_bucket(ms);--> statement-breakpoint
INSERT INTO kpi_monthly_duration_buckets (month, duration, team_id, service_id, category_id, subcategory_id, priority, kind, bucket, count, total_ms)
SELECT date_trunc('month', ended AT TIME ZONE 'UTC')::date, duration, team_id, service_id, category_id, subcategory_id, priority, kind, kpi_duration_bucket(ms), count(*), sum(ms::numeric) FROM (
  SELECT t.first_response_at, 'acknowledge'::kpi_duration, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000)::float8
    FROM tickets t WHERE t.first_response_at IS NOT NULL
  UNION ALL
  SELECT t.first_response_at, 'business_acknowledge', t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, t.business_acknowledge_ms::float8
    FROM tickets t WHERE t.first_response_at IS NOT NULL AND t.business_acknowledge_ms IS NOT NULL
  UNION ALL
  SELECT t.resolved_at, 'resolve', t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000)::float8
    FROM tickets t WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
  UNION ALL
  SELECT t.resolved_at, 'business_resolve', t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, t.business_resolve_ms::float8
    FROM tickets t WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL AND t.business_resolve_ms IS NOT NULL
) durations (ended, duration, team_id, service_id, category_id, subcategory_id, priority, kind, ms)
GROUP BY 1, duration, team_id, service_id, category_id, subcategory_id, priority, kind, kpi_duration_bucket(ms);
