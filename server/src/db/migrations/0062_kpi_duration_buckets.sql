CREATE TYPE "public"."kpi_duration" AS ENUM('acknowledge', 'business_acknowledge', 'resolve', 'business_resolve');--> statement-breakpoint
CREATE TABLE "kpi_daily_duration_buckets" (
	"day" date NOT NULL,
	"team_id" uuid,
	"priority" smallint NOT NULL,
	"kind" "ticket_kind" NOT NULL,
	"duration" "kpi_duration" NOT NULL,
	"bucket" smallint NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"service_id" uuid,
	"category_id" uuid,
	"subcategory_id" uuid,
	CONSTRAINT "kpi_daily_duration_buckets_key" UNIQUE NULLS NOT DISTINCT("day","duration","team_id","service_id","category_id","subcategory_id","priority","kind","bucket")
);
--> statement-breakpoint
CREATE TABLE "kpi_daily_team_duration_buckets" (
	"day" date NOT NULL,
	"team_id" uuid,
	"priority" smallint NOT NULL,
	"kind" "ticket_kind" NOT NULL,
	"duration" "kpi_duration" NOT NULL,
	"bucket" smallint NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_daily_team_duration_buckets_key" UNIQUE NULLS NOT DISTINCT("day","duration","team_id","priority","kind","bucket")
);
--> statement-breakpoint
-- The bucket of a duration in milliseconds (core/kpis/duration-buckets.ts; kpis.db.test.ts holds the
-- bounds equal): 0 under one second, then eight buckets a doubling up to 2^29 s. Immutable, so the
-- indexes below can hold it.
CREATE FUNCTION kpi_duration_bucket(ms double precision) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN width_bucket(ms, '{1000,1091,1189,1297,1414,1542,1682,1834,2000,2181,2378,2594,2828,3084,3364,3668,4000,4362,4757,5187,5657,6169,6727,7336,8000,8724,9514,10375,11314,12338,13454,14672,16000,17448,19027,20749,22627,24675,26909,29344,32000,34896,38055,41499,45255,49351,53817,58688,64000,69792,76109,82998,90510,98701,107635,117377,128000,139585,152219,165995,181019,197403,215269,234753,256000,279170,304437,331991,362039,394806,430539,469506,512000,558340,608874,663982,724077,789612,861078,939012,1024000,1116680,1217748,1327964,1448155,1579224,1722156,1878024,2048000,2233360,2435496,2655927,2896309,3158448,3444312,3756049,4096000,4466720,4870992,5311855,5792619,6316896,6888623,7512097,8192000,8933439,9741985,10623710,11585238,12633791,13777247,15024194,16384000,17866879,19483969,21247419,23170475,25267582,27554494,30048388,32768000,35733757,38967939,42494839,46340950,50535164,55108987,60096777,65536000,71467515,77935877,84989677,92681900,101070329,110217975,120193554,131072000,142935030,155871755,169979354,185363800,202140657,220435950,240387108,262144000,285870059,311743510,339958708,370727600,404281315,440871900,480774216,524288000,571740118,623487020,679917416,741455200,808562629,881743800,961548432,1048576000,1143480236,1246974040,1359834833,1482910400,1617125258,1763487599,1923096863,2097152000,2286960473,2493948080,2719669666,2965820801,3234250517,3526975198,3846193726,4194304000,4573920945,4987896159,5439339331,5931641602,6468501034,7053950396,7692387453,8388608000,9147841890,9975792319,10878678663,11863283203,12937002068,14107900792,15384774906,16777216000,18295683781,19951584637,21757357326,23726566406,25874004135,28215801585,30769549811,33554432000,36591367561,39903169274,43514714651,47453132812,51748008271,56431603169,61539099623,67108864000,73182735122,79806338549,87029429303,94906265624,103496016542,112863206339,123078199246,134217728000,146365470245,159612677097,174058858606,189812531249,206992033083,225726412677,246156398491,268435456000,292730940490,319225354194,348117717212,379625062497,413984066167,451452825355,492312796983,536870912000}'::double precision[])::smallint;--> statement-breakpoint
-- One duration of a ticket counted (sign 1) or taken away (sign -1) in both histograms, on the day
-- the duration ended, under the ticket's dimensions.
CREATE FUNCTION kpi_rollup_duration(t tickets, day date, duration kpi_duration, ms double precision, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi_daily_team_duration_buckets AS k (day, duration, team_id, priority, kind, bucket, count)
    VALUES (day, duration, t.team_id, t.priority, t.kind, kpi_duration_bucket(ms), sign)
    ON CONFLICT ON CONSTRAINT kpi_daily_team_duration_buckets_key DO UPDATE SET count = k.count + excluded.count;
  INSERT INTO kpi_daily_duration_buckets AS k (day, duration, team_id, service_id, category_id, subcategory_id, priority, kind, bucket, count)
    VALUES (day, duration, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, kpi_duration_bucket(ms), sign)
    ON CONFLICT ON CONSTRAINT kpi_daily_duration_buckets_key DO UPDATE SET count = k.count + excluded.count;
END $$;--> statement-breakpoint
-- A ticket's durations, counted as kpi_rollup_ticket counts their sums (migration 0058): time to
-- acknowledge on the first-response day, time to resolve on the resolution day, each wall-clock and,
-- where the business time is known, in business hours.
CREATE FUNCTION kpi_rollup_durations(t tickets, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF t.first_response_at IS NOT NULL THEN
    PERFORM kpi_rollup_duration(t, (t.first_response_at AT TIME ZONE 'UTC')::date, 'acknowledge',
      greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000)::float8, sign);
    IF t.business_acknowledge_ms IS NOT NULL THEN
      PERFORM kpi_rollup_duration(t, (t.first_response_at AT TIME ZONE 'UTC')::date, 'business_acknowledge', t.business_acknowledge_ms::float8, sign);
    END IF;
  END IF;
  IF t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL THEN
    PERFORM kpi_rollup_duration(t, (t.resolved_at AT TIME ZONE 'UTC')::date, 'resolve',
      greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000)::float8, sign);
    IF t.business_resolve_ms IS NOT NULL THEN
      PERFORM kpi_rollup_duration(t, (t.resolved_at AT TIME ZONE 'UTC')::date, 'business_resolve', t.business_resolve_ms::float8, sign);
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
-- Backfill: the histograms of the tickets already there, one pass per rollup (bench/kpis.ts times it).
INSERT INTO kpi_daily_team_duration_buckets (day, duration, team_id, priority, kind, bucket, count)
SELECT day, duration, team_id, priority, kind, kpi_duration_bucket(ms), count(*) FROM (
  SELECT (t.first_response_at AT TIME ZONE 'UTC')::date, 'acknowledge'::kpi_duration, t.team_id, t.priority, t.kind, greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000)::float8
    FROM tickets t WHERE t.first_response_at IS NOT NULL
  UNION ALL
  SELECT (t.first_response_at AT TIME ZONE 'UTC')::date, 'business_acknowledge', t.team_id, t.priority, t.kind, t.business_acknowledge_ms::float8
    FROM tickets t WHERE t.first_response_at IS NOT NULL AND t.business_acknowledge_ms IS NOT NULL
  UNION ALL
  SELECT (t.resolved_at AT TIME ZONE 'UTC')::date, 'resolve', t.team_id, t.priority, t.kind, greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000)::float8
    FROM tickets t WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
  UNION ALL
  SELECT (t.resolved_at AT TIME ZONE 'UTC')::date, 'business_resolve', t.team_id, t.priority, t.kind, t.business_resolve_ms::float8
    FROM tickets t WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL AND t.business_resolve_ms IS NOT NULL
) durations (day, duration, team_id, priority, kind, ms)
GROUP BY day, duration, team_id, priority, kind, kpi_duration_bucket(ms);--> statement-breakpoint
INSERT INTO kpi_daily_duration_buckets (day, duration, team_id, service_id, category_id, subcategory_id, priority, kind, bucket, count)
SELECT day, duration, team_id, service_id, category_id, subcategory_id, priority, kind, kpi_duration_bucket(ms), count(*) FROM (
  SELECT (t.first_response_at AT TIME ZONE 'UTC')::date, 'acknowledge'::kpi_duration, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000)::float8
    FROM tickets t WHERE t.first_response_at IS NOT NULL
  UNION ALL
  SELECT (t.first_response_at AT TIME ZONE 'UTC')::date, 'business_acknowledge', t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, t.business_acknowledge_ms::float8
    FROM tickets t WHERE t.first_response_at IS NOT NULL AND t.business_acknowledge_ms IS NOT NULL
  UNION ALL
  SELECT (t.resolved_at AT TIME ZONE 'UTC')::date, 'resolve', t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000)::float8
    FROM tickets t WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
  UNION ALL
  SELECT (t.resolved_at AT TIME ZONE 'UTC')::date, 'business_resolve', t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, t.business_resolve_ms::float8
    FROM tickets t WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL AND t.business_resolve_ms IS NOT NULL
) durations (day, duration, team_id, service_id, category_id, subcategory_id, priority, kind, ms)
GROUP BY day, duration, team_id, service_id, category_id, subcategory_id, priority, kind, kpi_duration_bucket(ms);
