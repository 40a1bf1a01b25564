/**
 * Synthetic support traffic for `bench:suggest`, generated inside PostgreSQL (generate_series over
 * topic templates) so that 100,000 examples take seconds, not minutes of round trips.
 */
import type pg from "pg";

type Template = { message: string; reply: string };

// {order}, {product}, {days}, {name} are filled per row; greetings and sign-offs vary the text.
const TEMPLATES: Template[] = [
  { message: "I never got my refund for order #{order}. It's been {days} days.", reply: "Sorry for the wait! The refund for order #{order} was issued on our side; card refunds take 5-10 business days. If it isn't there by Friday, reply and I'll chase it." },
  { message: "Where is my refund? I returned the {product} ages ago.", reply: "We received your {product} back and refunded it {days} days ago; your bank shows it within 5-10 business days." },
  { message: "Refund for order {order} still not on my card", reply: "I checked order {order}: the refund left us {days} days ago. Banks take up to 10 business days; I'll keep an eye on it." },
  { message: "My package for order #{order} still says label created. When will it ship?", reply: "Order #{order} was handed to the carrier yesterday; tracking lags about 24 hours. If nothing moves by tomorrow I'll open a trace." },
  { message: "Order {order} hasn't moved in {days} days, is it lost?", reply: "I'm sorry for the wait. I've opened a trace with the carrier for order {order}; if it isn't found in 48 hours I'll reship it for free." },
  { message: "Tracking for my {product} has not updated since Monday.", reply: "The carrier had a sorting delay this week; your {product} is moving again and should arrive within {days} days." },
  { message: "I can't reset my password, the email never comes.", reply: "Reset emails can take a few minutes and sometimes land in spam. I've sent a fresh link; it's valid for 30 minutes." },
  { message: "Password reset link says expired every time I click it.", reply: "Links expire after 30 minutes and each new request cancels the previous one; use only the newest email. I've sent a new link now." },
  { message: "I was charged twice for order #{order}.", reply: "One of the two charges for order #{order} is a pre-authorisation your bank releases within 3 business days; you were billed once." },
  { message: "Why is there a second charge on my statement for the {product}?", reply: "The second line is a temporary hold for your {product}; it disappears within 3 business days. If not, send me a screenshot and I'll refund it." },
  { message: "How do I cancel my subscription?", reply: "Go to Settings, Billing, Cancel plan. You keep access until the end of the period and won't be charged again." },
  { message: "Please cancel my plan before the next renewal, {name} here.", reply: "Done, {name}: your plan is cancelled and will not renew. You keep access until the end of the current period." },
  { message: "My account got locked after too many attempts.", reply: "Accounts lock for 15 minutes after five failed attempts. I've unlocked yours now; try again with the reset link if needed." },
  { message: "Two-factor codes are not working anymore on my phone.", reply: "Codes fail when the phone's clock drifts. Set the time to automatic and try again; I can also send backup codes." },
  { message: "The {product} in order #{order} arrived broken.", reply: "I'm so sorry! No need to send it back: I've shipped a replacement {product} for order #{order} today at no cost." },
  { message: "Item arrived damaged, box was crushed. Order {order}", reply: "Sorry about that. A replacement for order {order} ships today; keep or recycle the damaged one." },
  { message: "I received the wrong size {product} in order #{order}.", reply: "Sorry for the mix-up! A prepaid return label is in your inbox and the right size ships today for order #{order}." },
  { message: "You sent me a blue {product}, I ordered black.", reply: "Apologies! The black {product} ships today; use the prepaid label in your email to return the blue one whenever it suits you." },
  { message: "Can I get an invoice with my company name for order #{order}?", reply: "Yes: under Orders, Download invoice, edit the billing details first to add your company name and VAT number." },
  { message: "I need a VAT invoice for my {product} purchase.", reply: "You can download a VAT invoice under Orders; add your VAT number in the billing details before downloading." },
  { message: "My discount code isn't working on the {product}.", reply: "That code expired on Sunday. I've applied the same 20% to your {product} as a one-off; the difference is refunded in 3-5 days." },
  { message: "Forgot to apply my coupon to order #{order}, can you add it?", reply: "No problem: I've applied the coupon to order #{order} and refunded the difference; it shows on your card in 3-5 days." },
  { message: "Can I change the delivery address for order #{order}?", reply: "If order #{order} hasn't shipped yet I can change it. Reply with the new address and I'll confirm within the hour." },
  { message: "I moved, please update the shipping address, thanks {name}", reply: "Thanks {name}! Send me the new address and I'll update it on every open order that hasn't shipped." },
  { message: "Is the {product} waterproof?", reply: "The {product} is water-resistant (fine in rain for about an hour) but not waterproof; add the rain cover for more." },
  { message: "Does the {product} work with 110V?", reply: "Yes, the {product} runs on 100-240V; you only need a plug adapter for US sockets." },
  { message: "What's the difference between the Pro and the Standard {product}?", reply: "The Pro {product} adds a longer warranty (3 years instead of 2) and a metal housing; otherwise they are identical." },
  { message: "When will the {product} be back in stock?", reply: "The {product} is expected back in {days} days. I can add you to the restock email so you hear first." },
  { message: "The app crashes every time I open my orders page.", reply: "Sorry about that! Version 4.2 fixes the crash; update from your app store, and clear the cache if it still happens." },
  { message: "I want to return the {product}, how does it work?", reply: "Returns are free within 30 days: start one under Orders, Return, and drop the parcel at any carrier point." },
  { message: "Can I speak to a manager about order {order}?", reply: "I understand. I've escalated order {order} to our team lead, who will call you within one business day." },
  { message: "Do you ship to Canada? Thinking about buying the {product}.", reply: "Yes, we ship the {product} to Canada in 5-8 business days; duties are included in the price at checkout." },
];

const GREETINGS = ["", "Hi, ", "Hello, ", "Hey there. ", "Good morning! ", "Dear support, ", "Hi team, ", "Hello again. "];
const SIGNOFFS = ["", " Thanks.", " Thank you!", " Please help.", " Regards", " Cheers", " Thanks in advance", " This is urgent."];
// Real customers add context; 0-2 of these per message multiply the distinct retrieval keys.
const CONTEXT = [
  "", "", "", "I'm travelling next week.", "This is the second time this happens.", "I ordered it as a birthday present.",
  "My daughter needs it for school.", "I've been a customer for years.", "I already emailed you yesterday.",
  "The chat bot could not help.", "I live in a rural area.", "My neighbour got hers already.", "I paid with PayPal.",
  "I used the express option.", "The courier left a note.", "I'm moving house on Friday.", "It was a gift for my mother.",
  "I tried the app and the website.", "My card was replaced recently.", "I'm on the family plan.", "We run a small cafe.",
  "It's for our office.", "I bought it during the sale.", "I have the receipt.", "The box looked opened.",
  "I'm quite disappointed.", "I need this sorted before the weekend.", "Your website shows an error.", "I changed my email last month.",
  "I'm using an iPhone.", "I'm on Android.", "My partner placed the order.", "I'm abroad at the moment.", "It's my first order.",
  "I subscribed through a friend's link.", "Customer service phone line is busy.", "I'm hard of hearing, please email.",
  "The tracking link is broken.", "I ordered three of them.", "The colour is not what the photo shows.", "I got two emails about it.",
  "I'm a teacher and need an invoice.", "Our company pays by bank transfer.", "The discount showed at checkout but not on the bill.",
];

const PRODUCTS = ["travel backpack", "kettle", "desk lamp", "mug", "hoodie", "phone case", "water bottle", "sneakers", "headphones", "yoga mat", "toaster", "rain jacket", "notebook", "blender", "scarf", "charger", "tent", "coffee grinder", "watch strap", "screen protector", "wool socks", "desk chair", "bike light", "gaming mouse", "cookbook", "plant pot",
  "ski goggles", "baby monitor", "air fryer", "picture frame", "camping stove", "laptop sleeve", "paint set", "dog bed", "wall clock",
  "electric toothbrush", "umbrella", "chess board", "travel pillow", "bluetooth speaker"];
const NAMES = ["Ann", "Ben", "Chloe", "Dev", "Emma", "Femi", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena", "Max", "Nora", "Omar", "Pia"];

/** Fills a template column in SQL: `fill('t.message')` is an SQL expression over row number g. */
const fill = (column: string) => `
  replace(replace(replace(replace(${column},
    '{order}', (100000 + (g * 7919) % 899999)::text),
    '{product}', ($5::text[])[1 + (g / 7) % cardinality($5::text[])]),
    '{days}', (2 + g % 13)::text),
    '{name}', ($6::text[])[1 + (g / 3) % cardinality($6::text[])])`;

/**
 * How varied the messages are. `templates`: slot-filled templates only (about 1,300 distinct
 * retrieval keys in 100,000 examples); `moderate`: one context sentence in most messages;
 * `high`: two, so nearly every message has its own key (the worst case for the search).
 */
export type Variety = "templates" | "moderate" | "high";

const context = (g: string, variety: Variety) =>
  variety === "templates"
    ? "''"
    : `' ' || ($8::text[])[1 + ((${g}) / 17) % cardinality($8::text[])]` +
      (variety === "high" ? ` || ' ' || ($8::text[])[1 + ((${g}) * 31 / 7) % cardinality($8::text[])]` : "");

const params = (amount: number, variety: Variety) => [
  amount,
  TEMPLATES.map((t) => t.message),
  TEMPLATES.map((t) => t.reply),
  GREETINGS,
  PRODUCTS,
  NAMES,
  SIGNOFFS,
  ...(variety === "templates" ? [] : [CONTEXT]),
];

/** `amount` ready training examples (prompt = customer message, completion = agent reply). */
export async function generateTrainingExamples(pool: pg.Pool, amount: number, variety: Variety): Promise<void> {
  // As the product makes them: a "not useful" replay, and its example with the agent's reply.
  await pool.query(
    `WITH s AS (
       SELECT g, ($4::text[])[1 + (g / 11) % cardinality($4::text[])] || ${fill("t.message")} || ${context("g", variety)} || ($7::text[])[1 + (g / 5) % cardinality($7::text[])] AS m,
              ${fill("t.reply")} AS r
       FROM generate_series(1, $1::int) AS g
       JOIN unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(message, reply, i) ON t.i = 1 + g % cardinality($2::text[])
     ), r AS (
       INSERT INTO feedback_replay_log (message, ai_reply, agent_reply, feedback, status, topic, model, source, prompt_hash, created_at, submitted_at)
       SELECT m, 'Please wait.', r, 'no', 'submitted', 'bench', 'bench', 'bench', md5(m), now() - make_interval(secs => g), now() - make_interval(secs => g)
       FROM s RETURNING id, message, agent_reply, created_at
     )
     INSERT INTO training_log (prompt, completion, status, replay_id, created_at)
     SELECT message, agent_reply, 'ready', id, created_at FROM r`,
    params(amount, variety),
  );
}

/** `amount` submitted replays marked useful, whose agent replies the retrieval also uses. */
export async function generateUsefulReplays(pool: pg.Pool, amount: number, variety: Variety): Promise<void> {
  await pool.query(
    `INSERT INTO feedback_replay_log (message, ai_reply, agent_reply, feedback, status, topic, model, source, prompt_hash, created_at, submitted_at)
     SELECT m, r, r, 'yes', 'submitted', 'bench', 'bench', 'bench', md5(m), now() - make_interval(secs => g), now() - make_interval(secs => g)
     FROM (
       SELECT g, ($4::text[])[1 + (g / 13) % cardinality($4::text[])] || ${fill("t.message")} || ${context("g * 7", variety)} || ($7::text[])[1 + (g / 3) % cardinality($7::text[])] AS m,
              ${fill("t.reply")} AS r
       FROM generate_series(1, $1::int) AS g
       JOIN unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(message, reply, i) ON t.i = 1 + (g * 5) % cardinality($2::text[])
     ) s`,
    params(amount, variety),
  );
}

/** Customer messages to ask about: template variants the data has seen, plus unrelated ones. */
export function benchQueries(count: number, variety: Variety): string[] {
  const unrelated = [
    "Can you recommend a good restaurant near your warehouse?",
    "My cat walked over the keyboard and ordered 40 umbrellas, please help",
    "Is your company hiring software engineers in Lisbon?",
    "What is the meaning of life?",
  ];
  const queries: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 10 === 9) {
      queries.push(unrelated[i % unrelated.length]!);
      continue;
    }
    const t = TEMPLATES[(i * 7) % TEMPLATES.length]!;
    queries.push(
      GREETINGS[i % GREETINGS.length]! +
        t.message
          .replace("{order}", String(200_000 + i))
          .replace("{product}", PRODUCTS[(i * 3) % PRODUCTS.length]!)
          .replace("{days}", String(1 + (i % 20)))
          .replace("{name}", NAMES[i % NAMES.length]!) +
        (variety === "templates" ? "" : ` ${CONTEXT[(i * 13) % CONTEXT.length]!}`) +
        (variety === "high" ? ` ${CONTEXT[(i * 7) % CONTEXT.length]!}` : ""),
    );
  }
  return queries;
}
