import { z } from "zod";

/** Who acted: a signed-in user, an API key, the scheduler, the CLI, or someone not signed in. */
export const auditActorSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("user"), id: z.string(), email: z.string() }),
  z.object({ type: z.literal("api_key"), id: z.string(), name: z.string().optional() }),
  z.object({ type: z.literal("cron") }),
  z.object({ type: z.literal("cli") }),
  z.object({ type: z.literal("anonymous"), email: z.string().optional() }),
]);

export type AuditActor = z.infer<typeof auditActorSchema>;

export const auditEntrySchema = z.object({
  actor: auditActorSchema,
  /** dotted verb, e.g. `auth.sign_in`, `api_key.create`, `training.export`, `finetune.upload` */
  action: z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/, "action must look like domain.verb"),
  /** what it was done to: a user's email, a key prefix, a job id */
  target: z.string().max(500).optional(),
  /** ids, counts, settings; never customer text */
  details: z.record(z.string(), z.unknown()).optional(),
  ip: z.string().max(100).optional(),
});

export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditQuerySchema = z.object({
  action: z.string().max(100).optional(),
  actor: z.string().max(320).optional(),
  /** `<created_at ISO>|<id>` of the last entry of the previous page */
  before: z
    .string()
    .regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z\|[0-9a-f-]{36}$/i, "before must be a cursor from the previous page")
    .optional(),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;
