/**
 * OpenAI's documented rules for chat fine-tuning files, checked line by line with flat memory, so
 * it runs on every export as the lines go out and on any file before an upload. Pure: no database.
 *
 * Rules: every line parses as a JSON object; it has a `messages` list (and no other key); every
 * message is an object with a role of system/user/assistant and string content, and no keys beyond
 * role, content, name and weight; each example has at least one assistant message; a fine-tune
 * needs at least 10 examples.
 */
export const MIN_EXAMPLES = 10;

export const PROBLEMS = {
  invalid_json: "line is not valid JSON",
  not_an_object: "line is not a JSON object",
  unknown_top_level_key: "a key other than messages",
  missing_messages: "no messages list",
  empty_messages: "the messages list is empty",
  message_not_an_object: "a message is not an object",
  unknown_role: "a role other than system, user, assistant",
  missing_content: "a message without string content",
  empty_content: "a message with empty content",
  unknown_message_key: "a message key other than role, content, name, weight",
  no_assistant_message: "no assistant message",
  too_few_examples: `fewer than ${MIN_EXAMPLES} examples`,
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

export type ValidationReport = {
  ok: boolean;
  lines: number;
  validExamples: number;
  /** How many lines (or, for too_few_examples, the file) have each problem. */
  problems: Partial<Record<ProblemCode, number>>;
  /** The first few problems with their line numbers, to find them in the file. */
  samples: { line: number; code: ProblemCode }[];
};

const ROLES = new Set(["system", "user", "assistant"]);
const EMPTY_CONTENT: ProblemCode[] = ["empty_content"];
const NO_PROBLEMS: ProblemCode[] = [];
const MESSAGE_KEYS = new Set(["role", "content", "name", "weight"]);
const MAX_SAMPLES = 20;

function problemsOfLine(line: string): ProblemCode[] {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return ["invalid_json"];
  }
  return problemsOfValue(value);
}

function problemsOfValue(value: unknown): ProblemCode[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return ["not_an_object"];
  const found = new Set<ProblemCode>();
  const record = value as Record<string, unknown>;
  if (Object.keys(record).some((k) => k !== "messages")) found.add("unknown_top_level_key");
  const messages = record.messages;
  if (!Array.isArray(messages)) {
    found.add("missing_messages");
    return [...found];
  }
  if (messages.length === 0) found.add("empty_messages");
  let assistant = false;
  for (const message of messages) {
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      found.add("message_not_an_object");
      continue;
    }
    const m = message as Record<string, unknown>;
    if (typeof m.role !== "string" || !ROLES.has(m.role)) found.add("unknown_role");
    if (m.role === "assistant") assistant = true;
    if (typeof m.content !== "string") found.add("missing_content");
    else if (m.content.trim() === "") found.add("empty_content");
    if (Object.keys(m).some((k) => !MESSAGE_KEYS.has(k))) found.add("unknown_message_key");
  }
  if (messages.length > 0 && !assistant) found.add("no_assistant_message");
  return [...found];
}

/**
 * Counts a validator's findings, line by line: lines, valid examples, problems per code and the
 * first samples; `report()` adds too_few_examples under `minExamples`. Shared by the chat and the
 * preference validators.
 */
export function createProblemTally<Code extends string>(minExamples: number) {
  let lines = 0;
  let valid = 0;
  const problems: Partial<Record<Code | "too_few_examples", number>> = {};
  const samples: { line: number; code: Code }[] = [];
  return {
    count(found: readonly Code[]) {
      lines++;
      if (found.length === 0) valid++;
      for (const code of found) {
        problems[code] = (problems[code] ?? 0) + 1;
        if (samples.length < MAX_SAMPLES) samples.push({ line: lines, code });
      }
    },
    report(): ValidationReport {
      const all = { ...problems };
      if (valid < minExamples) all.too_few_examples = 1;
      return {
        ok: Object.keys(all).length === 0,
        lines,
        validExamples: valid,
        problems: all as ValidationReport["problems"],
        samples: [...samples] as unknown as ValidationReport["samples"],
      };
    },
  };
}

/** Feed lines as they are written; `report()` at the end. */
/** `minExamples`: the target's minimum (OpenAI 10, Fireworks 3); MIN_EXAMPLES by default. */
export function createJsonlValidator({ minExamples = MIN_EXAMPLES }: { minExamples?: number } = {}) {
  const { count, report } = createProblemTally<ProblemCode>(minExamples);
  return {
    /** A line of a file: parsed, then checked. */
    line: (text: string) => count(problemsOfLine(text)),
    /**
     * An example about to be written with JSON.stringify (which always yields one parseable line):
     * the same rules, checked on the value itself, so an export of a million lines does not parse
     * each line it has just serialised.
     */
    example: (value: unknown) => count(problemsOfValue(value)),
    /**
     * A line the export built itself with toChatMessages' shape (roles, keys and string contents
     * fixed by construction), from texts it never turned into strings: an empty content is the
     * only problem such a line can have. Counts exactly as example(toJsonlExample(…)) would
     * (validate-jsonl.test.ts).
     */
    chatExample: (emptyContent: boolean) => count(emptyContent ? EMPTY_CONTENT : NO_PROBLEMS),
    report,
  };
}

/** Validates a whole file's text, or any iterable of lines (a file read line by line). */
export async function validateJsonl(source: string | Iterable<string> | AsyncIterable<string>): Promise<ValidationReport> {
  const validator = createJsonlValidator();
  // A trailing newline ends the last line; it does not start an empty one. Blank lines elsewhere
  // are refused by the fine-tuning API, so they count as invalid JSON.
  const lines = typeof source === "string" ? source.replace(/\r?\n$/, "").split("\n") : source;
  for await (const raw of lines) validator.line(raw.endsWith("\r") ? raw.slice(0, -1) : raw);
  return validator.report();
}

/** "2 × a message with empty content, 1 × fewer than 10 examples". */
export function describeProblems(report: ValidationReport): string {
  const parts = Object.entries(report.problems).map(([code, n]) => `${n} × ${PROBLEMS[code as ProblemCode]}`);
  return parts.length ? parts.join(", ") : "no problems";
}
