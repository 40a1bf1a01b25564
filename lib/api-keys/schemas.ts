import { z } from "zod";

export const API_SCOPES = ["feedback:write", "suggest", "training:export", "admin"] as const;

export const apiScopeSchema = z.enum(API_SCOPES, {
  error: `scope must be one of: ${API_SCOPES.join(", ")}`,
});

export type ApiScope = z.infer<typeof apiScopeSchema>;

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "name must not be empty").max(100, "name must be at most 100 characters"),
  scopes: z.array(apiScopeSchema).min(1, "give at least one scope"),
});
