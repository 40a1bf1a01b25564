import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` uses this file: it writes SQL migrations to drizzle/ from the schema.
// Migrations are applied by the app on start and by `npm run cli -- migrate` (lib/db/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema.ts",
  out: "./drizzle",
});
