/**
 * The rules for preference (DPO) files, shared by OpenAI, Azure OpenAI, Together and Fireworks,
 * checked line by line with flat memory like validate-jsonl.ts (the chat format's own validator).
 * Pure: no database.
 *
 * Rules: every line parses as a JSON object with exactly `input`, `preferred_output` and
 * `non_preferred_output`; `input` is an object whose `messages` list is not empty, every message
 * an object with a role of system/user/assistant, string content and no keys beyond role, content,
 * name, and the last message the user's; each output is a list of exactly one assistant message
 * with non-empty string content; the two outputs differ. `minExamples` is the target's minimum.
 */
import { createProblemTally, MIN_EXAMPLES, type ValidationReport } from "@/lib/training/validate-jsonl";

export const PREFERENCE_PROBLEMS = {
  invalid_json: "line is not valid JSON",
  not_an_object: "line is not a JSON object",
  unknown_top_level_key: "a key other than input, preferred_output, non_preferred_output",
  missing_input: "no input object with a messages list",
  empty_messages: "the input's messages list is empty",
  message_not_an_object: "a message is not an object",
  unknown_role: "a role other than system, user, assistant",
  missing_content: "a message without string content",
  empty_content: "a message with empty content",
  unknown_message_key: "a message key other than role, content, name",
  last_not_user: "the input does not end with the user's message",
  missing_preferred_output: "no preferred_output list of one assistant message",
  missing_non_preferred_output: "no non_preferred_output list of one assistant message",
  same_outputs: "the preferred and non-preferred outputs are the same",
  too_few_examples: "fewer examples than the target's minimum",
} as const;

export type PreferenceProblemCode = keyof typeof PREFERENCE_PROBLEMS;

const ROLES = new Set(["system", "user", "assistant"]);
const MESSAGE_KEYS = new Set(["role", "content", "name"]);
const TOP_KEYS = new Set(["input", "preferred_output", "non_preferred_output"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkMessage(message: unknown, found: Set<PreferenceProblemCode>) {
  if (!isObject(message)) return void found.add("message_not_an_object");
  if (typeof message.role !== "string" || !ROLES.has(message.role)) found.add("unknown_role");
  if (typeof message.content !== "string") found.add("missing_content");
  else if (message.content.trim() === "") found.add("empty_content");
  if (Object.keys(message).some((k) => !MESSAGE_KEYS.has(k))) found.add("unknown_message_key");
}

function output(value: unknown, found: Set<PreferenceProblemCode>, missing: PreferenceProblemCode): string | null {
  if (!Array.isArray(value) || value.length !== 1 || !isObject(value[0]) || value[0].role !== "assistant") {
    found.add(missing);
    return null;
  }
  checkMessage(value[0], found);
  return typeof value[0].content === "string" ? value[0].content : null;
}

function problemsOfValue(value: unknown): PreferenceProblemCode[] {
  if (!isObject(value)) return ["not_an_object"];
  const found = new Set<PreferenceProblemCode>();
  if (Object.keys(value).some((k) => !TOP_KEYS.has(k))) found.add("unknown_top_level_key");
  const input = value.input;
  if (!isObject(input) || !Array.isArray(input.messages)) found.add("missing_input");
  else {
    const messages = input.messages as unknown[];
    if (messages.length === 0) found.add("empty_messages");
    for (const m of messages) checkMessage(m, found);
    const last = messages.at(-1);
    if (messages.length > 0 && (!isObject(last) || last.role !== "user")) found.add("last_not_user");
  }
  const preferred = output(value.preferred_output, found, "missing_preferred_output");
  const rejected = output(value.non_preferred_output, found, "missing_non_preferred_output");
  if (preferred !== null && rejected !== null && preferred.trim() === rejected.trim()) found.add("same_outputs");
  return [...found];
}

/** Feed lines as they are written; `report()` at the end. */
export function createPreferenceValidator({ minExamples = MIN_EXAMPLES }: { minExamples?: number } = {}) {
  const { count, report } = createProblemTally<PreferenceProblemCode>(minExamples);
  return {
    line(text: string) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return count(["invalid_json"]);
      }
      count(problemsOfValue(value));
    },
    example: (value: unknown) => count(problemsOfValue(value)),
    /**
     * A line the export built itself with toPreferenceExample's shape: an empty text and equal
     * outputs are the only problems it can have.
     */
    builtExample(emptyContent: boolean, sameOutputs: boolean) {
      const found: PreferenceProblemCode[] = [];
      if (emptyContent) found.push("empty_content");
      if (sameOutputs) found.push("same_outputs");
      count(found);
    },
    report,
  };
}

/** Validates a whole preference file's text, or any iterable of its lines. */
export async function validatePreferenceJsonl(source: string | Iterable<string> | AsyncIterable<string>, options?: { minExamples?: number }): Promise<ValidationReport> {
  const validator = createPreferenceValidator(options);
  const lines = typeof source === "string" ? source.replace(/\r?\n$/, "").split("\n") : source;
  for await (const raw of lines) validator.line(raw.endsWith("\r") ? raw.slice(0, -1) : raw);
  return validator.report();
}

/** "2 × the preferred and non-preferred outputs are the same". */
export function describePreferenceProblems(report: ValidationReport): string {
  const parts = Object.entries(report.problems).map(([code, n]) => `${n} × ${PREFERENCE_PROBLEMS[code as PreferenceProblemCode] ?? code}`);
  return parts.length ? parts.join(", ") : "no problems";
}
