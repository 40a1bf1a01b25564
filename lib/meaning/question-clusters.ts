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
};

export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = { joinScore: 0.5, replyLink: 0.6, replyLinkFloor: 0.15, replyWeight: 0.5 };

/** Where a message went and why: for the manager's "why are these together". */
export type Assignment = { label: number; created: boolean; reason: "message" | "reply" | "new" | "pinned"; match?: LabelMatch };

/** Content words that make a reply specific enough to link two questions on its own. */
const SPECIFIC_REPLY_WORDS = 6;

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
   * Where `message` (answered with `reply`) belongs, without adding it: the label whose messages
   * explain it best if that is at least the join score; else the label of a near-identical agent
   * reply if the messages are still somewhat alike; else null (a new question).
   */
  decide(message: string, reply?: string | null): { label: number | null; reason: "message" | "reply" | "new"; match?: LabelMatch } {
    const best = this.match(message, { limit: 3, combine: "member" });
    const top = best[0];
    if (top && top.score >= this.settings.joinScore) return { label: top.label, reason: "message", match: top };
    if (reply && reply.trim().length > 1) {
      // Near-identical replies already given: a specific answer given to one question only is a
      // link; a short one ("Done.") or one given to several questions is a template, and then the
      // messages must still be somewhat alike.
      const analyzed = this.replies.analyze(reply);
      // Near-identical both ways: a reply that only contains another (plus its own details) is not the same answer.
      const linked = this.replies.search(analyzed, { limit: 8 }).filter((m) => Math.min(m.queryCoverage, m.docCoverage) >= this.settings.replyLink);
      const labels = [...new Set(linked.map((m) => this.replies.labelOf(m.id)))];
      if (labels.length === 1 && analyzed.length >= SPECIFIC_REPLY_WORDS) return { label: labels[0]!, reason: "reply", match: this.scoreFor(message, labels[0]!) };
      if (labels.length > 0) {
        const wide = this.match(message, { limit: 32, combine: "member" });
        const withLabel = wide.find((m) => labels.includes(m.label) && m.score >= this.settings.replyLinkFloor);
        if (withLabel) return { label: withLabel.label, reason: "reply", match: withLabel };
      }
    }
    return { label: null, reason: "new", match: top };
  }

  /** How `message` matches one label (the "why" of a reply link); undefined if no word meets. */
  scoreFor(message: string, label: number): LabelMatch | undefined {
    return this.match(message, { limit: 32, combine: "member" }).find((m) => m.label === label);
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
    this.replies.add(reply, { label });
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
