/**
 * The project's own paraphrase corpus (issue 11): support questions, each asked in many ways the
 * way customers write (formal, terse, typos, rambling, other words for the same thing), the replies
 * different agents give them, and messages that ask something else while sharing surface words
 * ("order", "account", "discount"). Used by `npm run bench:learning`, the demo data and the tests
 * of the retrain. Written by hand for this product; never tune the engine on it alone.
 */
export type CorpusQuestion = {
  key: string;
  /** Ways customers ask it; `bench:learning` teaches the even ones and asks the odd ones. */
  wordings: string[];
  /** The answer, as three agents word it. */
  replies: [string, string, string];
};

export const QUESTIONS: CorpusQuestion[] = [
  {
    key: "refund-status",
    wordings: [
      "Where is my refund? I returned the item two weeks ago.",
      "refund not received yet",
      "I sent the parcel back on the 3rd and still no money on my card, what is going on??",
      "When do I get my money back for the return?",
      "hi, how long does a refund take to show up on my account",
      "Returned my shoes ages ago and I'm still waiting to be reimbursed",
      "refnud still pending after return",
      "Good afternoon. I posted my return last month and have not yet been credited. Could you look into it?",
      "money back??",
      "You received my return (tracking says delivered) but the refund hasn't arrived. My daughter needs those shoes replaced before school starts and I can't buy them until the money is back.",
      "has my reimbursement been processed",
      "still no refund for order 48213",
    ],
    replies: [
      "Refunds are issued within 3 business days of your return reaching our warehouse, and your bank then takes 5 to 7 business days to show it on your card.",
      "Once your return arrives at our warehouse we issue the refund within 3 business days; it then takes your bank 5 to 7 business days to credit your card.",
      "Your refund goes out within 3 business days after the warehouse receives the return, then allow 5 to 7 business days for your bank to show it on your card.",
    ],
  },
  {
    key: "late-delivery",
    wordings: [
      "My order hasn't arrived yet, where is it?",
      "where is my package",
      "It's been ten days and the delivery still hasn't come.",
      "Tracking hasn't updated since Monday, is my parcel lost?",
      "wheres my order",
      "I ordered a birthday present for my son which was meant to arrive yesterday. The party is on Saturday and there's no sign of the shipment. Please tell me what is happening.",
      "shipment late",
      "Could you tell me when my parcel will be delivered? It is overdue.",
      "my packge never came",
      "Still waiting on my delivery from last week",
      "has my order been shipped? it should be here by now",
      "Order 55120 is late. Where is it?",
    ],
    replies: [
      "Sorry for the wait! Most late parcels arrive within 3 extra days. If yours has not arrived after that, reply here and we will send a replacement or refund you in full.",
      "Apologies for the delay. Late parcels usually arrive within 3 extra days; if it still has not come after that, write back and we will send a replacement or a full refund.",
      "I'm sorry it's late. Parcels that are running late nearly always arrive within 3 extra days, and if yours doesn't we'll send a replacement or a full refund.",
    ],
  },
  {
    key: "cancel-subscription",
    wordings: [
      "How do I cancel my subscription?",
      "cancel subscription",
      "I want to stop my monthly plan, please end it.",
      "Please unsubscribe me from the monthly box, I don't want it anymore",
      "how can i end my membership",
      "I no longer want to be charged every month. Stop my subscription now.",
      "cancle my plan",
      "We are moving abroad and will not need the box any longer, so I would like to terminate the subscription from next month. Thank you for the lovely boxes.",
      "stop the recurring payments for my plan",
      "Can I cancel the membership online or do I have to call?",
      "end subscription pls",
      "I'd like to discontinue my monthly subscription.",
    ],
    replies: [
      "You can cancel any time under Account > Subscription > Cancel plan. You keep access until the end of the period you've paid for, and you won't be charged again.",
      "To cancel, go to Account > Subscription and choose Cancel plan. Access stays until the end of your paid period and no further charges are made.",
      "Just open Account > Subscription > Cancel plan. Nothing more will be charged, and you keep access until the end of the period already paid.",
    ],
  },
  {
    key: "reset-password",
    wordings: [
      "I forgot my password",
      "can't log in",
      "How do I reset my password?",
      "The password reset email never arrives",
      "locked out of my account, help",
      "I keep getting 'invalid password' even though I'm sure it's right.",
      "forgotten pasword",
      "I changed phones and now I can't sign in to the app at all, it just says my credentials are wrong. I've tried three times and I'm worried it'll lock me out.",
      "login not working",
      "Need to change my password but I don't remember the old one",
      "cannot sign in",
      "Please help me get back into my account, I don't know the password.",
    ],
    replies: [
      "Use 'Forgot password' on the sign-in page and we'll email you a reset link that works for 1 hour. Check your spam folder if it doesn't arrive within a few minutes.",
      "Click 'Forgot password' on the sign-in page to get a reset link by email; the link is valid for 1 hour. If it doesn't show up in a few minutes, please check spam.",
      "On the sign-in page choose 'Forgot password' and we'll send a reset link to your email, valid for 1 hour. It sometimes lands in spam, so look there too.",
    ],
  },
  {
    key: "change-address",
    wordings: [
      "Can I change the delivery address on my order?",
      "wrong address on my order",
      "I moved house, please send my order to my new address.",
      "need to update shipping address",
      "I typed the wrong street number, can you fix it before it ships?",
      "change adress",
      "Is it possible to redirect the parcel to my office instead of home?",
      "My order is going to my old flat. I moved out last week and I need it delivered to the new place, 14 Park Road. Can that still be changed?",
      "edit the shipping details for my purchase",
      "How do I change where my package is sent?",
      "update delivery adress please",
      "Could you amend the address for order 33019?",
    ],
    replies: [
      "We can change the address as long as the order hasn't shipped yet. Reply with the full new address and we'll update it; once it has shipped, the courier's tracking page lets you redirect it.",
      "As long as it hasn't shipped, we can update the address: just send us the full new address. If it has already shipped, you can redirect it from the courier's tracking page.",
      "If the order hasn't shipped yet we'll change the address for you, just reply with the complete new address. Already shipped? Use the courier's tracking page to redirect it.",
    ],
  },
  {
    key: "damaged-item",
    wordings: [
      "My item arrived broken",
      "the vase came smashed",
      "The product was damaged in transit.",
      "Received my lamp today and the glass is cracked",
      "box was crushed and the item inside is broken",
      "arrived damaged",
      "The mug I ordered has a big chip in it.",
      "I was so excited to open the package but the screen of the tablet is shattered, it looks like it was dropped. What can you do about it?",
      "my order came in pieces",
      "dammaged on arrival",
      "The chair arrived with a broken leg.",
      "Item defective out of the box, there is a crack down the side",
    ],
    replies: [
      "I'm so sorry it arrived damaged! Please send a photo of the damage and we'll ship a replacement right away; there's no need to return the broken item.",
      "Sorry it came damaged. Reply with a photo of the damage and we'll send a replacement straight away, and you don't need to send the broken one back.",
      "That's not how it should arrive, sorry! Send us a photo of the damage and a replacement ships right away. No need to return the broken item.",
    ],
  },
  {
    key: "return-item",
    wordings: [
      "How do I return an item?",
      "i want to send this back",
      "What is your return policy?",
      "The jacket doesn't fit, can I return it?",
      "return label please",
      "Can I exchange these shoes for a bigger size?",
      "how to retrun",
      "I bought a dress for a wedding but ended up wearing something else. It still has the tags on. Am I able to send it back and how?",
      "do you accept returns after 2 weeks",
      "Not happy with the purchase, want to return it",
      "where do I get a returns label",
      "Is it possible to send back an unopened item?",
    ],
    replies: [
      "You can return any unused item within 30 days. Print a free return label from Account > Orders > Return, pack the item and drop it at any post office.",
      "Returns are free within 30 days for unused items: print the label under Account > Orders > Return and drop the parcel at a post office.",
      "Unused items can be returned within 30 days. Go to Account > Orders > Return for a free label, then take the parcel to any post office.",
    ],
  },
  {
    key: "double-charge",
    wordings: [
      "I was charged twice for my order",
      "double charge on my card",
      "Why do I see two payments for the same purchase?",
      "you took the money two times",
      "My bank statement shows the same amount debited twice.",
      "charged 2x",
      "I only placed one order but there are two transactions on my credit card from you.",
      "duplicate payment",
      "Hello, I checked my banking app this morning and you have billed me twice for one order. That leaves me short this month, please sort it out quickly.",
      "billed twice for one order",
      "there's an extra charge on my account from your shop",
      "chargd twice",
    ],
    replies: [
      "Sorry about that! The second charge is a temporary authorisation hold, not a payment. Your bank releases it automatically within 3 to 5 business days.",
      "Don't worry, the second charge is only a temporary authorisation hold and not a real payment; your bank will release it within 3 to 5 business days.",
      "That second amount is a temporary authorisation hold, not a charge. It disappears on its own within 3 to 5 business days once your bank releases it.",
    ],
  },
  {
    key: "update-card",
    wordings: [
      "How do I update my payment card?",
      "change credit card",
      "My card expired, how do I add a new one?",
      "I need to change the payment method on my account",
      "new card details",
      "Where can I edit my billing information?",
      "update paymnet method",
      "My bank sent me a replacement card after fraud so the old one doesn't work anymore. How do I put the new card on my account so my next order goes through?",
      "remove my old card and add another",
      "Can I switch to paying with a different card?",
      "card on file is out of date",
      "change my billing card",
    ],
    replies: [
      "Go to Account > Payment methods, add the new card and set it as default; you can then remove the old one. Your next order will use the new card.",
      "Under Account > Payment methods you can add your new card, make it the default and delete the old one. The next order then uses the new card.",
      "Open Account > Payment methods, add the card and mark it as default, then remove the old card. The new one is used from your next order.",
    ],
  },
  {
    key: "discount-code",
    wordings: [
      "My discount code isn't working",
      "promo code invalid",
      "The voucher says it has expired but the email says it's valid until Friday.",
      "coupon not accepted at checkout",
      "Why won't my code apply?",
      "the 20% off code doesn't work",
      "discount code error",
      "I got a welcome code in my inbox but when I type it in at checkout it just says invalid code. I've checked the spelling twice. Can you help before the sale ends?",
      "voucher rejected",
      "promo not applying to my basket",
      "Is there a problem with the coupon code you sent me?",
      "discoutn code doesnt work",
    ],
    replies: [
      "Codes apply to full-price items only and one code per order. If your basket has only full-price items and it still fails, send me the code and I'll apply the discount for you.",
      "Discount codes work on full-price items, one per order. If that's the case for your basket and it's still refused, share the code and I'll apply it manually.",
      "Each code works once per order and only on full-price items. If your items are all full price and it still fails, give me the code and I'll add the discount myself.",
    ],
  },
  {
    key: "delete-account",
    wordings: [
      "Please delete my account",
      "close my account",
      "How do I remove all my personal data?",
      "I want my account and information erased",
      "delete profile",
      "I don't use your service anymore, please close my account permanently.",
      "how to delet account",
      "Under GDPR I am requesting that you erase all data you hold about me and close my customer account. Please confirm when this is done.",
      "deactivate my account",
      "Can you get rid of my account?",
      "remove my account and email from your system",
      "I would like my customer profile deleted.",
    ],
    replies: [
      "You can delete your account under Account > Privacy > Delete account. We erase your personal data within 30 days and send you a confirmation email when it's done.",
      "Go to Account > Privacy and choose Delete account. Your personal data is erased within 30 days, and we'll email you to confirm.",
      "Account > Privacy > Delete account removes it; your personal data is erased within 30 days and a confirmation email follows.",
    ],
  },
  {
    key: "wrong-item",
    wordings: [
      "I received the wrong item",
      "got someone else's order",
      "You sent me a blue sweater but I ordered a red one.",
      "wrong product in the box",
      "The size I got is not what I ordered.",
      "this isn't what I bought",
      "recieved wrong item",
      "Opened the parcel and inside is a set of saucepans. I ordered a kettle! Please send me what I actually paid for.",
      "incorrect item delivered",
      "the package had a different product than my order",
      "wrong colour sent",
      "Item received does not match my order",
    ],
    replies: [
      "Sorry for the mix-up! We'll ship the right item today. Keep the wrong one until the courier collects it; you'll get a pickup email with the time slot.",
      "Apologies for the mix-up. The correct item ships today; please hold on to the wrong one until the courier picks it up, the pickup email gives the time slot.",
      "I'm sorry we sent the wrong item. The right one goes out today, and a courier will collect the wrong one; you'll receive a pickup email with the slot.",
    ],
  },
];

/** Messages that ask something else, some with the questions' surface words. Never taught. */
export const UNRELATED: string[] = [
  "Can I order a custom engraving on the watch?",
  "How do I create an account?",
  "Do you have a physical store in Berlin?",
  "What are your opening hours on Sunday?",
  "Is this jacket waterproof?",
  "Do you ship to Canada?",
  "Can I order in bulk for my company?",
  "Are your products vegan?",
  "Do you offer gift wrapping?",
  "Which size should I pick, I'm usually a medium?",
  "Is there a student discount?",
  "Can I pay with PayPal?",
  "Do you have a newsletter I can sign up to?",
  "Where are your products made?",
  "How long is the warranty on the headphones?",
  "Can I pick up my order in store?",
  "Do you sell gift cards?",
  "Will the blue version come back in stock?",
  "How do I contact your press team?",
  "I'd like to leave a review for the kettle",
  "Do you have an app for Android?",
  "Can I add a second user to my account?",
  "What payment methods do you accept?",
  "Is the password for the wifi in your store on the receipt?",
];

/**
 * Other traffic the team answered once (marked useful), so term weights are those of a real inbox
 * where "order" and "account" are everywhere. Taught as "yes" before anything else.
 */
export const BACKGROUND: { message: string; reply: string }[] = [
  { message: "Do you deliver on Saturdays?", reply: "Yes, our couriers deliver Monday to Saturday." },
  { message: "What is the weight limit of the hammock?", reply: "The hammock holds up to 150 kg." },
  { message: "Can I add a note to my order for the courier?", reply: "Yes, add it in the delivery instructions field at checkout." },
  { message: "Is my account information secure?", reply: "Yes, we encrypt all account data and never store full card numbers." },
  { message: "Are the mugs dishwasher safe?", reply: "Yes, all our mugs are dishwasher and microwave safe." },
  { message: "How do I track my order?", reply: "Use the tracking link in your shipping confirmation email." },
  { message: "Do you price match?", reply: "We don't price match, but we run sales every season." },
  { message: "Can I change my account email?", reply: "Yes, under Account > Profile > Email." },
  { message: "Where can I find the size guide?", reply: "The size guide is linked under each product's size selector." },
  { message: "Do you have any job openings?", reply: "Our open roles are listed on the careers page." },
  { message: "Is the sofa easy to assemble?", reply: "It takes about 20 minutes and needs no tools." },
  { message: "Do you have an order minimum for free shipping?", reply: "Shipping is free on orders over 50 euros." },
  { message: "Can I order by phone?", reply: "Yes, call us on weekdays from 9 to 5 and we'll place the order for you." },
  { message: "What batteries does the remote take?", reply: "It takes two AAA batteries, included in the box." },
  { message: "Is the shop open on bank holidays?", reply: "Our online shop is always open; stores close on bank holidays." },
  { message: "Do you recycle packaging?", reply: "All our packaging is recyclable and plastic-free." },
];

/** Token-F1 of a suggestion against a reference reply (the measure). */
export function tokenF1(candidate: string, reference: string): number {
  const tokens = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const a = tokens(candidate);
  const b = tokens(reference);
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of b) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of a) {
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      common++;
      counts.set(t, n - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / a.length;
  const recall = common / b.length;
  return (2 * precision * recall) / (precision + recall);
}

/** The best F1 of `candidate` against any agent's wording of the answer. */
export function answerF1(candidate: string, question: CorpusQuestion): number {
  return Math.max(...question.replies.map((r) => tokenF1(candidate, r)));
}
