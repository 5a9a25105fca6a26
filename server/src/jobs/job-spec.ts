import type { z } from 'zod';

/**
 * Every kind of job this server knows. A spec's kind must be one of them, and the registry
 * refuses to start unless each has exactly one definition (registry.ts), so a job a service can
 * schedule always has a handler.
 */
export const JOB_KINDS = [
  'notification.deliver',
  'notification.digest',
  'ticket.auto_close',
  'check.run',
  'alert.resolve_ticket',
  'sla.check',
  'page.timeout',
  'page.held',
  'attachment.sweep_parts',
  'incident.resolve_children',
  'incident_task.overdue',
  'jobs.clean_done',
  'storm.detect',
  'status.fan_out',
  'status.deliver',
  'status.confirm_mail',
  'incident_update.reminder',
  'maintenance.step',
  'maintenance.announce',
  'report.send',
  'action_item.reminder',
  'routing.train',
  'routing.retrain_due',
  'automation.idle',
  'automation.idle_sweep',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** A payload is a JSON object (the `jobs.payload` column). */
export type PayloadSchema = z.ZodType<Record<string, unknown>, Record<string, unknown>>;

/** When a job is scheduled: when it falls due, and the instant of the change that asked for it. */
export interface JobTiming {
  runAt: Date;
  now: Date;
}

/**
 * What a service needs to schedule a job of one kind, without its handler: services import
 * specs, the definitions (which call services) import both, so there is no import cycle.
 */
export interface JobSpec<S extends PayloadSchema = PayloadSchema> {
  kind: string;
  /** The payload's shape. The runner parses every payload with it; one that no longer fits is dead at once. */
  payload: S;
  /** Tries before the job is parked as dead. */
  maxAttempts: number;
  /**
   * The row's id, derived from what the job is about, so asking twice for the same timer (two
   * processes, a retried request) makes one row. Existing rows keep working after an upgrade
   * only while these ids stay the same.
   */
  idOf(payload: z.input<S>, timing: JobTiming): string;
}

/** What a service hands over when scheduling a job of this spec: a wrong shape is a compile error. */
export type PayloadOf<J extends JobSpec> = z.input<J['payload']>;

/** Declares one of the server's own job kinds (the kind must be in JOB_KINDS). */
export function defineJobSpec<S extends PayloadSchema>(spec: JobSpec<S> & { kind: JobKind }): JobSpec<S> {
  return spec;
}
