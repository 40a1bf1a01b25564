import { normalizePrompt } from "@/lib/feedback/normalize-prompt";
import type { AnalyzedText } from "@/lib/meaning/analyze-text";
import { MeaningIndex, type Combine, type LabelMatch } from "@/lib/meaning/meaning-index";

/**
 * Messages that ask the same question, however worded, under one label: the engine behind prompt
 * groups and behind the corrections the AI uses the same day. A message joins the label whose
 * messages explain it best; failing that, the label of an agent reply near-identical to the one it
 * got (the team's own free signal: the same answer usually means the same question); else it
 * starts a label. The agents' replies also count, weaker, as words of their label, so a customer
 * who says "membership" meets the label whose reply said it.
 */
export type ClusterSettings = {
  /** Score (0-1) above which a message joins a label. */
  joinScore: number;
  /** Reply similarity above which two replies are the same answer (a reply link). */
  replyLink: number;
  /** A link through a template reply (given to several questions) still needs this much likeness between the messages. */
  replyLinkFloor: number;
  /** Weight of a reply's words against a message's (below 1). */
  replyWeight: number;
  /** A specific reply alike to none of a label's specific replies (all below this) vetoes joining it by words. */
  replyVeto: number;
  /** Messages that say this much of each other in the same words are one wording: joined whatever the replies say. */
  sameWording: number;
};

export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = { joinScore: 0.5, replyLink: 0.6, replyLinkFloor: 0.15, replyWeight: 0.5, replyVeto: 0.5, sameWording: 0.8 };

/** Where a message went and why: for the manager's "why are these together". */
export type Assignment = { label: number; created: boolean; reason: "message" | "reply" | "new" | "pinned"; match?: LabelMatch };

/** Content words that make a reply specific enough to link two questions on its own. */
const SPECIFIC_REPLY_WORDS = 6;

/** A label's replies compared for a veto at most (the first ones: a group's answer is settled early). */
const MAX_VETO_REPLIES = 16;
/** Wordings remembered for their repeats (as many as a regroup's own memory of them). */
const MAX_WORDINGS = 100_000;

const SENTENCE = /[^.!?\n]+[.!?\n]*/g;

/**
 * A second opinion on matches (lib/meaning/embeddings/: the provider's embeddings): it sees every
 * message added, and may raise a label's score or add labels to a match. Synchronous: its vectors
 * are fetched before the match, outside any transaction; without one it returns `matches`.
 */
export type MatchHook = {
  added(id: number, message: string): void;
  rescore(message: string, matches: LabelMatch[], options: { limit: number; skip?: (id: number) => boolean }): LabelMatch[];
};

export class QuestionClusters {
  readonly messages = new MeaningIndex();
  readonly replies = new MeaningIndex();
  /** Embeddings, when configured (attachMessageVectors); null: offline matching only. */
  hook: MatchHook | null = null;
  private nextLabel = 0;
  /** Label → message doc ids, newest last (capped: a label needs its wordings, not every repeat). */
  private members = new Map<number, number[]>();
  private replyCounts = new Map<number, number>();
  /** Normalised wording → the label it was last placed in (bounded, oldest forgotten first). */
  private wordings = new Map<string, number>();
  /** Label → its replies' doc ids in `replies` (newest last, capped). */
  private replyDocs = new Map<number, number[]>();

  constructor(readonly settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS) {}

  /** A label that no message has yet (a manual group, a pin). */
  newLabel(): number {
    return this.nextLabel++;
  }

  /** Makes sure labels handed out from now on are above `label` (labels loaded from storage). */
  reserve(label: number) {
    if (label >= this.nextLabel) this.nextLabel = label + 1;
  }

  /**
   * The labels closest to `message`. A long message is also matched sentence by sentence (the
   * question is often one clause among many), a sentence's match counting a little less. With
   * embeddings (`hook`), a label scores the higher of its word score and its embedding score.
   */
  match(message: string, options: { limit?: number; skip?: (id: number) => boolean; combine?: Combine } = {}): LabelMatch[] {
    const matches = this.matchWords(message, options);
    return this.hook ? this.hook.rescore(message, matches, { limit: options.limit ?? 3, skip: options.skip }) : matches;
  }

  private matchWords(
    message: string,
    { limit = 3, skip, combine = "question" }: { limit?: number; skip?: (id: number) => boolean; combine?: Combine } = {},
  ): LabelMatch[] {
    const whole = this.messages.searchLabels(message, { limit, skip, combine });
    const sentences = message.match(SENTENCE)?.map((s) => s.trim()).filter((s) => s.length > 0) ?? [];
    if (sentences.length < 3) return whole;
    const byLabel = new Map(whole.map((m) => [m.label, m]));
    for (const sentence of sentences) {
      const words = this.messages.analyze(sentence);
      if (words.length < 2) continue;
      for (const m of this.messages.searchLabels(words, { limit, skip, combine })) {
        const scaled = { ...m, score: m.score * 0.85 };
        if ((byLabel.get(m.label)?.score ?? 0) < scaled.score) byLabel.set(m.label, scaled);
      }
    }
    return [...byLabel.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /**
   * Where `message` (answered with `reply`) belongs, without adding it. The team's answer is the
   * stronger evidence when it is specific: agents who give the same answer were asked the same
   * thing, and a clearly different answer means a different question, however alike the words.
   * 1. The same wording (`sameWording` of each side in the same words): its label, whatever the reply says.
   * 2. A specific reply (≥ SPECIFIC_REPLY_WORDS content words) near-identical to replies of one
   *    label only: that label.
   * 3. The label whose messages explain it best, if at least the join score, unless the label's
   *    own specific answers all differ from this specific reply (`replyVeto`): then the next
   *    candidate is tried.
   * 4. A template reply ("Done.", or one given to several questions), or a reply only alike
   *    (between `replyVeto` and `replyLink`: another agent's words for the same answer), links
   *    only a label whose messages are still somewhat alike (`replyLinkFloor`).
   * 5. Else null: a new question.
   */
  decide(message: string, reply?: string | null): { label: number | null; reason: "message" | "reply" | "new"; match?: LabelMatch } {
    const best = this.match(message, { limit: 3, combine: "member" });
    const top = best[0];
    const answer = reply && reply.trim().length > 1 ? this.replies.analyze(reply) : [];
    const specific = answer.length >= SPECIFIC_REPLY_WORDS;
    // Replies already given, near-identical both ways (a reply that only contains another, plus
    // its own details, is not the same answer).
    const alike = answer.length > 0 ? this.replies.search(answer, { limit: 8 }).filter((m) => Math.min(m.queryCoverage, m.docCoverage) >= this.settings.replyVeto) : [];
    const linked = alike.filter((m) => Math.min(m.queryCoverage, m.docCoverage) >= this.settings.replyLink);
    const labels = [...new Set(linked.map((m) => this.replies.labelOf(m.id)))];
    // Answers alike but not near-identical (between the veto and the link): probably the same
    // answer in another agent's words; like a template, it links messages still somewhat alike.
    const probable = [...new Set(alike.map((m) => this.replies.labelOf(m.id)))];
    // A wording placed before (however it was placed) goes where it went: a tie on meaning is
    // common for short messages, and a repeat must not depend on which label sorts first.
    const known = this.wordings.get(normalizePrompt(message));
    if (known !== undefined) return { label: known, reason: "message", match: best.find((m) => m.label === known) };
    const sameWording = (m: LabelMatch) => m.score >= this.settings.joinScore && this.sameWords(message, m.bestId) >= this.settings.sameWording;
    if (top && sameWording(top)) return { label: top.label, reason: "message", match: top };
    if (labels.length === 1 && specific) return { label: labels[0]!, reason: "reply", match: this.scoreFor(message, labels[0]!) };
    for (const candidate of best) {
      if (candidate.score < this.settings.joinScore) break;
      if (specific && this.answersDiffer(answer, candidate.label)) continue;
      return { label: candidate.label, reason: "message", match: candidate };
    }
    if (probable.length > 0) {
      const wide = this.match(message, { limit: 32, combine: "member" });
      const withLabel = wide.find((m) => probable.includes(m.label) && m.score >= this.settings.replyLinkFloor);
      if (withLabel) return { label: withLabel.label, reason: "reply", match: withLabel };
    }
    return { label: null, reason: "new", match: top };
  }

  /**
   * How much of each side the other says in the very same words (stems, IDF-weighted; no
   * synonyms or concepts), the smaller share: "where is my parcel" and "where is my parcel, order
   * 123" are the same wording; "how do I return an item" and "my refund for the returned item"
   * are not, however near in meaning.
   */
  private sameWords(message: string, id: number): number {
    const a = this.messages.analyze(message);
    const b = this.messages.wordsOf(id);
    const stemsA = new Set(a.map((w) => w.stem));
    const stemsB = new Set(b.map((w) => w.stem));
    const share = (stems: Set<string>, other: Set<string>) => {
      let total = 0;
      let same = 0;
      for (const stem of stems) {
        const idf = this.messages.idf(stem);
        total += idf;
        if (other.has(stem)) same += idf;
      }
      return total > 0 ? same / total : 0;
    };
    return Math.min(share(stemsA, stemsB), share(stemsB, stemsA));
  }

  /** Whether `label` has specific answers and all of them differ from `answer` (below `replyVeto`). */
  private answersDiffer(answer: AnalyzedText, label: number): boolean {
    let specificAnswers = 0;
    for (const id of this.replyDocs.get(label) ?? []) {
      const other = this.replies.wordsOf(id);
      if (other.length < SPECIFIC_REPLY_WORDS) continue;
      specificAnswers++;
      const m = this.replies.compare(answer, other);
      if (Math.min(m.queryCoverage, m.docCoverage) >= this.settings.replyVeto) return false;
    }
    return specificAnswers > 0;
  }

  /** How `message` matches one label (the "why" of a reply link); undefined if no word meets. */
  scoreFor(message: string, label: number): LabelMatch | undefined {
    return this.match(message, { limit: 32, combine: "member" }).find((m) => m.label === label);
  }

  /** Remembers where a wording was placed (decide sends its repeats there). */
  rememberWording(normalized: string, label: number) {
    this.wordings.delete(normalized);
    this.wordings.set(normalized, label);
    if (this.wordings.size > MAX_WORDINGS) this.wordings.delete(this.wordings.keys().next().value!);
  }

  /** Where a wording was last placed, if remembered. */
  labelOfWording(normalized: string): number | undefined {
    return this.wordings.get(normalized);
  }

  /** The label `message` belongs to, found or created; the message is added to it. */
  assign(message: string, reply?: string | null, pinned?: number): Assignment {
    if (pinned !== undefined) {
      this.add(message, reply, pinned);
      return { label: pinned, created: false, reason: "pinned" };
    }
    const decision = this.decide(message, reply);
    const label = decision.label ?? this.newLabel();
    this.add(message, reply, label);
    return { label, created: decision.label === null, reason: decision.reason, match: decision.match };
  }

  /** Adds a message (and the reply it got) under `label`; returns the message's doc id. */
  add(message: string, reply: string | null | undefined, label: number, analyzed?: AnalyzedText): number {
    this.reserve(label);
    const id = analyzed ? this.messages.addAnalyzed(analyzed, { label }) : this.messages.add(message, { label });
    this.rememberWording(normalizePrompt(message), label);
    this.hook?.added(id, message);
    let list = this.members.get(label);
    if (!list) this.members.set(label, (list = []));
    list.push(id);
    if (reply) this.addReply(reply, label);
    return id;
  }

  /** Adds an agent's reply under `label` (a reply-link target, and weak words of the label). */
  addReply(reply: string, label: number) {
    this.reserve(label);
    if (reply.trim().length <= 1) return;
    this.messages.add(reply, { label, weight: this.settings.replyWeight });
    const id = this.replies.add(reply, { label });
    let docs = this.replyDocs.get(label);
    if (!docs) this.replyDocs.set(label, (docs = []));
    if (docs.length < MAX_VETO_REPLIES) docs.push(id);
    this.replyCounts.set(label, (this.replyCounts.get(label) ?? 0) + 1);
  }

  repliesOf(label: number): number {
    return this.replyCounts.get(label) ?? 0;
  }

  membersOf(label: number): number[] {
    return this.members.get(label) ?? [];
  }

  get labels(): number {
    return this.members.size;
  }
}
