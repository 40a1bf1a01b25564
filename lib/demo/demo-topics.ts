/**
 * Demo support traffic, written the way customers write: each topic is one question asked in
 * about ten ways (formal and terse, typos, other words for the same thing, long messages where the
 * question is one clause; {n} becomes an order number), the AI reply the model tends to give, and
 * the good answer as three agents word it (same facts, their own words). Written for the demo;
 * bench/learning/corpus.ts has its own wordings, so the demo does not flatter the benchmark.
 */
export type DemoTopic = {
  topic: string;
  messages: string[];
  aiReply: string;
  /** The good answer, as each of three agents words it (agent i sends reply i % 3). */
  agentReplies: [string, string, string];
  /** Share of replays where agents found the AI reply useful. */
  usefulRate: number;
  /** Another agent's quite different answer to the same question: a conflict for review to settle. */
  alternativeReply?: string;
};

export const DEMO_TOPICS: DemoTopic[] = [
  {
    topic: "refunds",
    messages: [
      "Hey, I never got my refund for order #{n}. It's been two weeks.",
      "refund??",
      "Hello, I returned order {n} nearly three weeks ago and the money still hasn't come back to my card. Could you check?",
      "still waiting on my refnd",
      "The courier picked up my return on the 2nd, I have the receipt and everything, and my sister who returned hers the same day already got paid back. Why haven't I been reimbursed yet?",
      "When will I be credited for the items I sent back?",
      "Dear team, I would like to know the status of the refund for order #{n}.",
      "i sent the jacket back ages ago where is my money",
      "Refund for {n} not showing on my bank statement",
      "you said i'd get a refund but nothing yet",
    ],
    aiReply: "Thanks for reaching out! Refunds can take some time. Please check back later.",
    agentReplies: [
      "Sorry for the wait! I checked order #{n}: the refund was issued on our side 6 days ago. Card refunds take 5-10 business days to show up; if it isn't there by Friday, reply here and I'll chase it with our payments team.",
      "I've looked at order #{n}: we sent your refund 6 days ago. Banks need 5 to 10 business days to show a card refund, so if it still isn't there by Friday, write back and I'll follow it up with payments.",
      "Good news, the refund for order #{n} left us 6 days ago. It can take 5-10 business days to reach your card. Nothing by Friday? Just reply and I'll take it up with our payments team.",
    ],
    usefulRate: 0.2,
    alternativeReply:
      "Refunds take up to 10 business days. Please contact your bank if you still don't see it after that.",
  },
  {
    topic: "shipping",
    messages: [
      "My package for order #{n} still says 'label created'. When will it ship?",
      "has my order shipped yet",
      "Order {n} hasn't moved in 4 days, is it lost?",
      "trackng stuck",
      "Hi there, I ordered on Sunday and was told it would be dispatched within 24 hours, but the tracking link still shows nothing at all. I'm going away next week so I need to know when the parcel will actually go out.",
      "When will my order be dispatched?",
      "The tracking number for #{n} has shown the same status since Monday.",
      "is my parcel even sent??",
      "Could you please confirm whether order {n} has left your warehouse?",
      "no tracking updates for days, what's happening with my shipment",
    ],
    aiReply: "Your order is on its way! You can track it with the link in your confirmation email.",
    agentReplies: [
      "I'm sorry for the wait. Order #{n} was handed to the carrier yesterday; the tracking page lags by about 24 hours. If it hasn't updated by tomorrow evening I'll open a trace with the carrier for you.",
      "Your parcel (order #{n}) went to the carrier yesterday, and their tracking usually catches up about a day later. If there's still no update by tomorrow evening, tell me and I'll open a trace.",
      "Thanks for your patience! Order #{n} left us yesterday with the carrier. Their tracking is around 24 hours behind; no change by tomorrow evening and I'll ask the carrier to trace it.",
    ],
    usefulRate: 0.35,
  },
  {
    topic: "password reset",
    messages: [
      "I can't reset my password, the email never comes.",
      "password reset link expired",
      "forgot my pasword and the reset mail isn't arriving",
      "Every time I click the link to change my password it says the link is no longer valid.",
      "reset email???",
      "Good morning, I requested a new password three times today and have received nothing. I checked the spam folder.",
      "how do i change my password if I can't remember the old one",
      "I've been trying to get into my account all evening to download last month's receipts for my accountant, and the forgot-password email simply does not turn up. Is something broken on your side?",
      "Reset password not working",
      "the link in the password email says expired even though i just got it",
    ],
    aiReply:
      "To reset your password, click 'Forgot password' on the sign-in page and follow the link we email you. Links expire after 30 minutes, and the email can take a few minutes; check your spam folder.",
    agentReplies: [
      "To reset your password, click 'Forgot password' on the sign-in page and follow the link we email you. Links expire after 30 minutes, and the email can take a few minutes; check your spam folder.",
      "Click 'Forgot password' on the sign-in page and we'll email you a link. It can take a few minutes to arrive (check spam too) and it works for 30 minutes.",
      "On the sign-in page, choose 'Forgot password' and open the link from the email within 30 minutes. If it doesn't arrive after a few minutes, look in your spam folder.",
    ],
    usefulRate: 0.85,
  },
  {
    topic: "billing",
    messages: [
      "I was charged twice this month.",
      "double charge",
      "Why is there a second charge on my statement for order {n}?",
      "you took the payment 2 times!!",
      "Hello, my bank app shows two identical payments to your company on the same day. I only placed one order. Please explain.",
      "charged twice for the same order, pls refund one",
      "There appear to be duplicate transactions on my credit card for order #{n}.",
      "Just checked my account and I've been billed two times for one purchase, which is a problem because rent is due on Friday and I really can't have that money tied up.",
      "why did you bill me twice",
      "I see the same amount debited twice from my card",
    ],
    aiReply: "I understand billing can be confusing. Please contact your bank for details about the charge.",
    agentReplies: [
      "I'm sorry about that. I can see two charges: one is a pre-authorisation that your bank will release within 3 business days, and no money was taken twice. If it's still there on Thursday, send me a screenshot and I'll refund it straight away.",
      "Sorry for the worry! One of the two is only a pre-authorisation, which your bank releases within 3 business days; you were charged once. If both are still there on Thursday, send a screenshot and I'll refund it at once.",
      "I've checked: the second line is a pre-authorisation hold, not a second payment, and your bank drops it within 3 business days. Still seeing two on Thursday? Send me a screenshot and I'll refund it immediately.",
    ],
    usefulRate: 0.25,
    alternativeReply:
      "Please send us a copy of your bank statement and we will look into it within 5 working days.",
  },
  {
    topic: "cancellations",
    messages: [
      "How do I cancel my subscription?",
      "cancel plan",
      "Please cancel my membership, I don't need it anymore.",
      "I want to stop before the next renewal",
      "how to unsubscribe from the monthly box",
      "Could you tell me how to end my subscription? I can't find the option.",
      "I've been a customer for two years and it's been great, but money is tight since I changed jobs and I have to cut back, so how do I cancel the plan without losing what I've already paid for this month?",
      "cancle my subscrption please",
      "I'd like to terminate my account's recurring payment.",
      "dont want to be charged again, how do i stop it",
    ],
    aiReply:
      "You can cancel any time under Settings → Billing → Cancel plan. You keep access until the end of the current period and won't be charged again.",
    agentReplies: [
      "You can cancel any time under Settings → Billing → Cancel plan. You keep access until the end of the current period and won't be charged again.",
      "Go to Settings → Billing → Cancel plan. Nothing more will be charged, and you can keep using everything until the current period ends.",
      "Sorry to see you go! Cancelling is under Settings → Billing → Cancel plan; you won't be charged again and you keep access until the end of this period.",
    ],
    usefulRate: 0.8,
  },
  {
    topic: "account access",
    messages: [
      "My account got locked after too many attempts.",
      "account locked",
      "I can't log in, it says my account is disabled.",
      "locked out after typing the wrong password a few times",
      "Sign-in keeps telling me my account is temporarily blocked.",
      "Hello, since this morning I am unable to access my account; the message says too many failed attempts.",
      "cant login",
      "I tried to log in on my new phone, got it wrong a couple of times because of autocorrect, and now it won't let me in at all on any device, even with the right password. I have an order arriving and need to see the details.",
      "my acount is blocked, can you unlock it",
      "Two-factor codes are not working anymore and now I'm locked out",
    ],
    aiReply: "Please try again later.",
    agentReplies: [
      "Your account was locked for 15 minutes after five failed attempts, to keep it safe. I've unlocked it now; if your two-factor codes fail, check that your phone's clock is set automatically.",
      "After five wrong attempts we lock an account for 15 minutes to protect it. I've unlocked yours now. If two-factor codes are refused, set your phone's clock to automatic.",
      "That lock comes from five failed sign-ins (it lasts 15 minutes). It's unlocked now; and if your two-factor codes don't work, make sure your phone sets its clock automatically.",
    ],
    usefulRate: 0.3,
  },
  {
    topic: "damaged item",
    messages: [
      "The mug in order #{n} arrived broken.",
      "item arrived damaged",
      "Box was crushed and the lamp inside is cracked. Order {n}",
      "it came smashed",
      "Good afternoon, unfortunately the vase I received was shattered in the parcel.",
      "My order arrived today and the screen protector is cracked right across.",
      "I opened the box in front of my kids because it was a present for them and the toy was in pieces, one wheel snapped off and the other bent. Really disappointing. Order #{n}.",
      "recieved it broken",
      "The glass teapot from order {n} was delivered in several pieces.",
      "product damaged in transit, what now",
    ],
    aiReply: "We're sorry to hear that! Please return the item for a refund.",
    agentReplies: [
      "I'm so sorry it arrived damaged. No need to send it back: I've shipped a replacement for order #{n} today at no cost, and you'll get tracking by email within the hour.",
      "Sorry it reached you broken! Keep the damaged one, there's no need to return it. A free replacement for order #{n} went out today; tracking will be in your inbox within the hour.",
      "That's not how it should arrive, sorry. I've sent a replacement for order #{n} today, free of charge, and you don't have to send anything back. Expect the tracking email within an hour.",
    ],
    usefulRate: 0.3,
    alternativeReply:
      "Please send us a photo of the damage and the packaging; once we have it we can offer a refund or a replacement.",
  },
  {
    topic: "wrong item",
    messages: [
      "I received the wrong size in order #{n}.",
      "wrong item",
      "You sent me a blue one, I ordered black. Order {n}",
      "this isnt what i ordered",
      "The package contained a different product from the one on my order confirmation.",
      "got someone elses order i think",
      "I ordered the size 10 trainers for my husband's birthday and what arrived is a size 7 in a completely different style. The party is this weekend. Can you sort it out?",
      "Incorrect item delivered for order {n}.",
      "wrong colour sent",
      "Hello, the parcel for #{n} had the wrong model in it.",
    ],
    aiReply: "Please return the item and place a new order for the correct one.",
    agentReplies: [
      "Sorry for the mix-up! I've sent a prepaid return label to your email and shipped the right item for order #{n} already, so you don't have to wait for the return to arrive.",
      "Apologies, that's our mistake. The correct item for order #{n} is already on its way, and a prepaid return label is in your email; you don't need to wait for us to receive the wrong one.",
      "My apologies for the mix-up. I shipped the right item for order #{n} today and emailed you a prepaid label for the wrong one; no need to wait for it to come back to us.",
    ],
    usefulRate: 0.35,
  },
  {
    topic: "invoice request",
    messages: [
      "Can I get an invoice with my company name for order #{n}?",
      "need vat invoice",
      "Please send an invoice for order {n} for my expense report",
      "where do i download a receipt",
      "We require a tax invoice showing our VAT number for accounting purposes.",
      "can u send me the bill for my last purchase",
      "My employer reimburses equipment but only with a proper invoice that has the company's name and address, not the order confirmation email, which is all I have. How do I get one?",
      "invoce for order {n}",
      "Is it possible to have the business name added to my receipt?",
      "How do I get a copy of my invoice?",
    ],
    aiReply:
      "Invoices are available under Orders → Download invoice. To add a company name and VAT number, edit the billing details on the order before downloading.",
    agentReplies: [
      "Invoices are available under Orders → Download invoice. To add a company name and VAT number, edit the billing details on the order before downloading.",
      "You'll find the invoice under Orders → Download invoice. Edit the order's billing details first if you need your company name and VAT number on it.",
      "Go to Orders → Download invoice. For a company name and VAT number, change the billing details on the order, then download it.",
    ],
    usefulRate: 0.9,
  },
  {
    topic: "discount code",
    messages: [
      "My discount code SAVE20 isn't working.",
      "promo code invalid",
      "The voucher from your newsletter says it has expired.",
      "forgot to apply my coupon to order #{n}, can you add it?",
      "coupon doesnt work at checkout",
      "Good evening, the code I was sent for 20% off is rejected when I try to use it.",
      "I signed up for the emails specifically to get the welcome discount, it arrived fine, I typed it in exactly as written, and the basket total didn't change at all. Is the offer still on?",
      "discunt code not accepted",
      "Can the promotional code still be applied to order {n}?",
      "my 20% off code won't go through",
    ],
    aiReply: "Discount codes cannot be applied after purchase.",
    agentReplies: [
      "That code expired on Sunday, sorry about that. I've applied the same 20% to order #{n} as a one-off and refunded the difference to your card; it will show in 3-5 days.",
      "Sorry, that code ran out on Sunday. As a one-off I've given order #{n} the same 20% off and refunded the difference to your card, which shows within 3-5 days.",
      "The code ended on Sunday, but I've honoured the 20% on order #{n} anyway and sent the difference back to your card; allow 3-5 days for it to appear.",
    ],
    usefulRate: 0.4,
  },
  {
    topic: "delivery address change",
    messages: [
      "Can I change the delivery address for order #{n}?",
      "wrong address on my order",
      "I moved, please update the shipping address on order {n}",
      "need to change where my parcel goes",
      "I entered my old flat as the address by mistake. Can it still be corrected?",
      "Please amend the delivery address on my recent purchase.",
      "change adress",
      "I'm staying at my parents' for the next fortnight while the kitchen is redone, so could you send order #{n} there instead of my home? I can give you the new postcode.",
      "Is it possible to redirect my package to my work address?",
      "typo in my street name on the order, can u fix it",
    ],
    aiReply:
      "If your order hasn't shipped yet, I can update the address. Please reply with the new address and I'll confirm the change.",
    agentReplies: [
      "If your order hasn't shipped yet, I can update the address. Please reply with the new address and I'll confirm the change.",
      "As long as it hasn't shipped, I can change the address. Send me the new one and I'll confirm once it's updated.",
      "No problem if it hasn't left us yet: reply with the new address and I'll update the order and confirm.",
    ],
    usefulRate: 0.75,
  },
  {
    topic: "product question",
    messages: [
      "Is the travel backpack waterproof?",
      "backpack waterproof?",
      "Can I take the travel backpack kayaking, or will my things get wet?",
      "Will the travel backpack keep my laptop dry in the rain?",
      "does the travel bag let water in",
      "I'm cycling to work through the winter and need something that my documents will survive in when it pours. Would the travel backpack do, or should I look elsewhere?",
      "Hello, could you confirm whether the travel backpack is water-resistant or fully waterproof?",
      "is the backpak ok in heavy rain",
      "how water proof is the travel rucksack",
      "Planning a hiking trip, is the travel backpack rainproof?",
    ],
    aiReply: "Great question! Our products are made with high-quality materials.",
    agentReplies: [
      "Good question: the backpack is water-resistant (it handles rain for about an hour) but not waterproof, so for kayaking I'd add the rain cover, which is 15% off with the bag this week.",
      "It's water-resistant rather than waterproof: it keeps things dry in about an hour of rain. For kayaking or long downpours, add the rain cover, 15% off with the bag this week.",
      "The backpack resists rain for about an hour but it isn't waterproof. If you'll be on the water or out in heavy rain, get the rain cover too; it's 15% off with the bag this week.",
    ],
    usefulRate: 0.3,
  },
  {
    topic: "subscription upgrade",
    messages: [
      "How do I upgrade to the annual plan?",
      "switch to yearly",
      "I'd like to move from monthly to annual billing.",
      "Can I upgrade mid-cycle and what does it cost?",
      "how to change my plan to the yearly one",
      "Is there a way to pay for the whole year instead of monthly?",
      "upgrade plan",
      "We've been on the monthly plan since spring and the team likes it, so my manager asked me to find out if we can go annual now rather than waiting for the renewal, and whether we'd pay twice for this month.",
      "upgrde to anual",
      "Please advise how to change my subscription to annual.",
    ],
    aiReply:
      "Go to Settings → Billing → Change plan and pick Annual. We credit what's left of your current month, so you only pay the difference.",
    agentReplies: [
      "Go to Settings → Billing → Change plan and pick Annual. We credit what's left of your current month, so you only pay the difference.",
      "Under Settings → Billing → Change plan, choose Annual. The unused part of this month is credited, so you just pay the difference.",
      "Pick Annual in Settings → Billing → Change plan. You'll only pay the difference: what's left of the current month is credited to you.",
    ],
    usefulRate: 0.85,
  },
  {
    topic: "data deletion",
    messages: [
      "Please delete all my personal data.",
      "GDPR request: erase my account and data",
      "delete my account",
      "How do I remove my data from your systems?",
      "I want you to wipe everything you have about me",
      "I am writing to exercise my right to erasure under the GDPR.",
      "close my account and delete my info",
      "After the data breach at another shop I'm going through every site that has my address and card, and I'd rather you didn't keep anything about me at all. Please remove it all and confirm when it's done.",
      "delet my data pls",
      "Can you permanently erase my details?",
    ],
    aiReply: "You can delete your account in settings.",
    agentReplies: [
      "I've opened a data erasure request for you. We'll delete your account and personal data within 30 days, as GDPR requires, and email you when it's done; order records we must keep for tax law are kept for 7 years, without marketing use.",
      "Your erasure request is open. Within 30 days, as GDPR requires, we'll delete your account and personal data and email you to confirm; order records that tax law makes us keep stay for 7 years, never used for marketing.",
      "Done: I've filed an erasure request. Your account and personal data will be deleted within 30 days (the GDPR limit) and you'll get an email when it's complete. Tax law requires us to keep order records for 7 years; they're not used for marketing.",
    ],
    usefulRate: 0.2,
  },
  {
    topic: "late delivery compensation",
    messages: [
      "My order #{n} came a week late, I want compensation.",
      "paid for express, arrived late, want my money back for shipping",
      "The delivery was late and ruined my plans, what will you do about it?",
      "Express shipping on {n} was not express at all",
      "I paid extra for next-day delivery and it took five days. I expect the shipping fee to be refunded.",
      "late delivery compensation?",
      "I chose the fastest option because it was a gift for a wedding on Saturday, paid nearly fifteen pounds for it, and the box turned up on Tuesday. I'd like something back for that.",
      "order arrived days after the promised date, do i get anything for that",
      "shiping was super late, can i get refund of the delivery cost",
      "Dear team, order {n} arrived well after the guaranteed date. Is any compensation offered?",
    ],
    aiReply: "We apologize for any inconvenience caused.",
    agentReplies: [
      "You're right, that's not what you paid for. I've refunded the express shipping fee on order #{n} in full, and added a 10% voucher to your account for next time.",
      "That's fair: you paid for speed and didn't get it. The express fee on order #{n} is refunded in full, and there's a 10% voucher on your account for your next order.",
      "Sorry, that's not the service you paid for. I've given back the full express shipping fee for order #{n} and put a 10% voucher on your account.",
    ],
    usefulRate: 0.15,
    alternativeReply:
      "Delivery times are estimates, so we can't offer compensation, but I've passed your feedback on to our logistics team.",
  },
  {
    topic: "gift card",
    messages: [
      "Gift card code not accepted at checkout",
      "giftcard wont work",
      "The gift voucher my colleague gave me says invalid code.",
      "Why is my gift card being rejected?",
      "gift card not working, I typed it exactly",
      "Hi, I got a gift card for my birthday and it won't go through when I pay. I'm trying to use it together with another card from my aunt.",
      "voucher code refused",
      "Can I use two gift cards on one order? The second one gets rejected",
      "gift crad error at payment",
      "The store credit card code doesn't work on your website.",
    ],
    aiReply:
      "You can combine up to two gift cards per order at checkout. If a code is refused, check for a zero versus the letter O; codes are case-insensitive.",
    agentReplies: [
      "You can combine up to two gift cards per order at checkout. If a code is refused, check for a zero versus the letter O; codes are case-insensitive.",
      "If the code is refused, check zeros against the letter O (capitals don't matter). Up to two gift cards can be combined on one order.",
      "Codes are case-insensitive, so the usual culprit is a zero typed as the letter O. And yes, you can use up to two gift cards per order.",
    ],
    usefulRate: 0.7,
  },
];

export const DEMO_USERS = [
  { email: "ava.agent@example.com", name: "Ava Martin", role: "agent" as const },
  { email: "ben.agent@example.com", name: "Ben Okafor", role: "agent" as const },
  { email: "chloe.agent@example.com", name: "Chloé Dubois", role: "agent" as const },
  { email: "maya.manager@example.com", name: "Maya Chen", role: "manager" as const },
  { email: "omar.admin@example.com", name: "Omar Haddad", role: "admin" as const },
];
