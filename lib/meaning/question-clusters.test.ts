import { describe, expect, it } from "vitest";
import { analyzeText, correctSpelling } from "@/lib/meaning/analyze-text";
import { MeaningIndex } from "@/lib/meaning/meaning-index";
import { QuestionClusters } from "@/lib/meaning/question-clusters";

/** A few questions, each taught in two wordings, and some filler so term weights mean something. */
function taught() {
  const clusters = new QuestionClusters();
  const questions = {
    refund: ["I want a refund for my order", "How do I get a refund?"],
    password: ["I forgot my password and cannot log in", "reset password please"],
    delivery: ["When will my delivery arrive?", "my delivery is late"],
    cancel: ["How do I cancel my subscription?", "cancel my subscription now"],
    address: ["Can I change the shipping address on my order?", "change address for the order"],
  };
  const labels = new Map<string, number>();
  for (const [name, wordings] of Object.entries(questions)) {
    const label = clusters.newLabel();
    labels.set(name, label);
    for (const wording of wordings) clusters.add(wording, null, label);
  }
  return { clusters, labels };
}

const top = (clusters: QuestionClusters, message: string) => clusters.match(message, { limit: 1 })[0];

describe("the meaning engine", () => {
  it("meets synonyms through WordNet", () => {
    const { clusters, labels } = taught();
    expect(top(clusters, "I would like my money back")?.label).toBe(labels.get("refund"));
    expect(top(clusters, "my shipment is late")?.label).toBe(labels.get("delivery"));
  });

  it("mends typos against the team's words and WordNet", () => {
    const { clusters, labels } = taught();
    expect(correctSpelling("refnud", { count: (w) => (w === "refund" ? 5 : 0) })).toBe("refund");
    expect(correctSpelling("pasword")).toBe("password");
    expect(top(clusters, "forgot my pasword")?.label).toBe(labels.get("password"));
    expect(top(clusters, "delivry late")?.label).toBe(labels.get("delivery"));
  });

  it("ignores word order, case, numbers and small talk", () => {
    const index = new MeaningIndex();
    const id = index.add("Where is my parcel for order #123?");
    const [match] = index.search("HELLO!! parcel order 99881 where is it, thanks");
    expect(match?.id).toBe(id);
    expect(match?.score).toBeGreaterThan(0.9);
    expect(analyzeText("Hi team, thanks so much!! Order #42?").map((w) => w.lemma)).toEqual(["order"]);
  });

  it("matches a two-word message against the full sentence it abbreviates", () => {
    const { clusters, labels } = taught();
    const match = top(clusters, "subscription cancel");
    expect(match?.label).toBe(labels.get("cancel"));
    expect(match!.score).toBeGreaterThanOrEqual(0.5);
  });

  it("finds the question inside a long, rambling message", () => {
    const { clusters, labels } = taught();
    const rambling =
      "Hello there, I have been a customer for years and I love the products. My sister recommended you. " +
      "The weather has been awful lately and the kids are at home. Anyway, I forgot my password and cannot log in. " +
      "Have a lovely weekend and say hi to everyone.";
    const match = top(clusters, rambling);
    expect(match?.label).toBe(labels.get("password"));
    expect(match!.score).toBeGreaterThanOrEqual(0.4);
  });

  it("does not join unrelated messages that share a common word", () => {
    const { clusters } = taught();
    // Filler so "order" is a common word, as it is in any support inbox.
    for (let i = 0; i < 20; i++) clusters.add(`order ${["pizza", "tea", "shoes", "books", "lamp"][i % 5]} ${i}`, null, clusters.newLabel());
    const decision = clusters.decide("Do you sell gift cards with my order?");
    expect(decision.label).toBeNull();
    expect(clusters.decide("what are your opening hours").label).toBeNull();
  });

  it("links different words through a specific near-identical agent reply, not through a template", () => {
    const clusters = new QuestionClusters();
    const specific = "Your warranty claim was approved and a replacement unit ships from our Leeds depot within three days.";
    const first = clusters.assign("the blender motor died after a month", specific);
    const linked = clusters.assign("appliance stopped working, is it covered?", specific);
    expect(linked).toMatchObject({ label: first.label, reason: "reply" });
    // "Done." is no evidence that two questions are one.
    const a = clusters.assign("parrot seed stock", "Done.");
    const b = clusters.assign("voucher expiry rules", "Done.");
    expect(b.label).not.toBe(a.label);
  });

  it("keeps apart questions that share words when the agents' specific answers clearly differ", () => {
    const clusters = new QuestionClusters();
    const warranty = "Your warranty covers the motor for two years: send a photo of the serial plate and we ship a replacement unit.";
    const cleaning = "Soak the jug in warm water with a spoon of baking soda for ten minutes, then rinse it and run it empty once.";
    const first = clusters.assign("my blender motor is broken", warranty);
    // Shares "blender" with the first question, but agents answer something else entirely.
    const other = clusters.assign("how do I clean my blender jug", cleaning);
    expect(other.label).not.toBe(first.label);
    // The same wording stays with its question whatever one reply says.
    const repeat = clusters.assign("My blender motor is broken!", cleaning);
    expect(repeat.label).toBe(first.label);
  });

  it("links a message answered in another agent's words when the messages are still somewhat alike", () => {
    const clusters = new QuestionClusters();
    const first = clusters.assign("the kettle lid will not close", "Press the hinge button firmly until it clicks, then lower the lid slowly; a stiff hinge loosens after a few uses.");
    const linked = clusters.assign("kettle top is stuck open", "Push firmly on the hinge button until it clicks and lower the lid gently; stiff hinges loosen with a few uses.");
    expect(linked.label).toBe(first.label);
  });
});
