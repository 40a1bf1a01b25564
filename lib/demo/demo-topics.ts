/**
 * Demo support traffic: each topic has customer messages ({n} becomes an order number), the AI
 * reply the model tends to give, and the reply a good agent sends instead.
 */
export type DemoTopic = {
  topic: string;
  messages: string[];
  aiReply: string;
  agentReply: string;
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
      "Where is my refund? I returned order {n} ages ago.",
      "I was promised a refund for order #{n} but nothing has arrived on my card.",
    ],
    aiReply: "Thanks for reaching out! Refunds can take some time. Please check back later.",
    agentReply:
      "We're sorry for the delay! I checked order #{n}: the refund was issued on our side 6 days ago. Card refunds take 5-10 business days to show up; if it isn't there by Friday, reply here and I'll chase it with our payments team.",
    usefulRate: 0.2,
    alternativeReply:
      "Refunds take up to 10 business days. Please contact your bank if you still don't see it after that.",
  },
  {
    topic: "shipping",
    messages: [
      "My package for order #{n} still says 'label created'. When will it ship?",
      "Order {n} hasn't moved in 4 days, is it lost?",
      "Tracking for #{n} has not updated since Monday.",
    ],
    aiReply: "Your order is on its way! You can track it with the link in your confirmation email.",
    agentReply:
      "I'm sorry for the wait. Order #{n} was handed to the carrier yesterday; the tracking page lags by about 24 hours. If it hasn't updated by tomorrow evening I'll open a trace with the carrier for you.",
    usefulRate: 0.35,
  },
  {
    topic: "password reset",
    messages: [
      "I can't reset my password, the email never comes.",
      "Password reset link says expired every time I click it.",
      "Locked out of my account, reset email not arriving",
    ],
    aiReply:
      "To reset your password, click 'Forgot password' on the sign-in page and follow the link we email you. Links expire after 30 minutes, and the email can take a few minutes; check your spam folder.",
    agentReply:
      "To reset your password, click 'Forgot password' on the sign-in page and follow the link we email you. Links expire after 30 minutes, and the email can take a few minutes; check your spam folder.",
    usefulRate: 0.85,
  },
  {
    topic: "billing",
    messages: [
      "I was charged twice this month.",
      "Why is there a second charge on my statement for order {n}?",
      "Double charge on my credit card, please fix",
    ],
    aiReply: "I understand billing can be confusing. Please contact your bank for details about the charge.",
    agentReply:
      "I'm sorry about that. I can see two charges: one is a pre-authorisation that your bank will release within 3 business days, and no money was taken twice. If it's still there on Thursday, send me a screenshot and I'll refund it straight away.",
    usefulRate: 0.25,
    alternativeReply:
      "Please send us a copy of your bank statement and we will look into it within 5 working days.",
  },
  {
    topic: "cancellations",
    messages: [
      "How do I cancel my subscription?",
      "Please cancel my plan, I don't need it anymore.",
      "I want to cancel before the next renewal",
    ],
    aiReply:
      "You can cancel any time under Settings → Billing → Cancel plan. You keep access until the end of the current period and won't be charged again.",
    agentReply:
      "You can cancel any time under Settings → Billing → Cancel plan. You keep access until the end of the current period and won't be charged again.",
    usefulRate: 0.8,
  },
  {
    topic: "account access",
    messages: [
      "My account got locked after too many attempts.",
      "I can't log in, it says my account is disabled.",
      "Two-factor codes are not working anymore",
    ],
    aiReply: "Please try again later.",
    agentReply:
      "Your account was locked for 15 minutes after five failed attempts, to keep it safe. I've unlocked it now; if your two-factor codes fail, check that your phone's clock is set automatically.",
    usefulRate: 0.3,
  },
  {
    topic: "damaged item",
    messages: [
      "The mug in order #{n} arrived broken.",
      "Item arrived damaged, box was crushed. Order {n}",
      "Received a cracked screen protector in order #{n}",
    ],
    aiReply: "We're sorry to hear that! Please return the item for a refund.",
    agentReply:
      "I'm so sorry it arrived damaged. No need to send it back: I've shipped a replacement for order #{n} today at no cost, and you'll get tracking by email within the hour.",
    usefulRate: 0.3,
    alternativeReply:
      "Please send us a photo of the damage and the packaging; once we have it we can offer a refund or a replacement.",
  },
  {
    topic: "wrong item",
    messages: [
      "I received the wrong size in order #{n}.",
      "You sent me a blue one, I ordered black. Order {n}",
      "Wrong product in my package for #{n}",
    ],
    aiReply: "Please return the item and place a new order for the correct one.",
    agentReply:
      "Sorry for the mix-up! I've sent a prepaid return label to your email and shipped the right item for order #{n} already, so you don't have to wait for the return to arrive.",
    usefulRate: 0.35,
  },
  {
    topic: "invoice request",
    messages: [
      "Can I get an invoice with my company name for order #{n}?",
      "I need a VAT invoice for my last purchase.",
      "Please send an invoice for order {n} for my expense report",
    ],
    aiReply:
      "Invoices are available under Orders → Download invoice. To add a company name and VAT number, edit the billing details on the order before downloading.",
    agentReply:
      "Invoices are available under Orders → Download invoice. To add a company name and VAT number, edit the billing details on the order before downloading.",
    usefulRate: 0.9,
  },
  {
    topic: "discount code",
    messages: [
      "My discount code SAVE20 isn't working.",
      "The promo code from your newsletter says invalid.",
      "Forgot to apply my coupon to order #{n}, can you add it?",
    ],
    aiReply: "Discount codes cannot be applied after purchase.",
    agentReply:
      "That code expired on Sunday, sorry about that. I've applied the same 20% to order #{n} as a one-off and refunded the difference to your card; it will show in 3-5 days.",
    usefulRate: 0.4,
  },
  {
    topic: "delivery address change",
    messages: [
      "Can I change the delivery address for order #{n}?",
      "I moved, please update the shipping address on order {n}",
      "Wrong address on my order, help",
    ],
    aiReply:
      "If your order hasn't shipped yet, I can update the address. Please reply with the new address and I'll confirm the change.",
    agentReply:
      "If your order hasn't shipped yet, I can update the address. Please reply with the new address and I'll confirm the change.",
    usefulRate: 0.75,
  },
  {
    topic: "product question",
    messages: [
      "Is the travel backpack waterproof?",
      "Can I take the travel backpack kayaking, or will my things get wet?",
      "Will the travel backpack keep my laptop dry in the rain?",
    ],
    aiReply: "Great question! Our products are made with high-quality materials.",
    agentReply:
      "Good question: the backpack is water-resistant (it handles rain for about an hour) but not waterproof, so for kayaking I'd add the rain cover, which is 15% off with the bag this week.",
    usefulRate: 0.3,
  },
  {
    topic: "subscription upgrade",
    messages: [
      "How do I upgrade to the annual plan?",
      "I'd like to switch from monthly to yearly billing",
      "Can I upgrade mid-cycle and what does it cost?",
    ],
    aiReply:
      "Go to Settings → Billing → Change plan and pick Annual. We credit what's left of your current month, so you only pay the difference.",
    agentReply:
      "Go to Settings → Billing → Change plan and pick Annual. We credit what's left of your current month, so you only pay the difference.",
    usefulRate: 0.85,
  },
  {
    topic: "data deletion",
    messages: [
      "Please delete all my personal data.",
      "GDPR request: erase my account and data",
      "How do I remove my data from your systems?",
    ],
    aiReply: "You can delete your account in settings.",
    agentReply:
      "I've opened a data erasure request for you. We'll delete your account and personal data within 30 days, as GDPR requires, and email you when it's done; order records we must keep for tax law are kept for 7 years, without marketing use.",
    usefulRate: 0.2,
  },
  {
    topic: "late delivery compensation",
    messages: [
      "My order #{n} came a week late, I want compensation.",
      "The delivery was late and ruined my plans, what will you do about it?",
      "Express shipping on {n} was not express at all",
    ],
    aiReply: "We apologize for any inconvenience caused.",
    agentReply:
      "You're right, that's not what you paid for. I've refunded the express shipping fee on order #{n} in full, and added a 10% voucher to your account for next time.",
    usefulRate: 0.15,
    alternativeReply:
      "Delivery times are estimates, so we can't offer compensation, but I've passed your feedback on to our logistics team.",
  },
  {
    topic: "gift card",
    messages: [
      "My gift card balance shows zero but I haven't used it.",
      "Gift card code not accepted at checkout",
      "Can I use two gift cards on one order?",
    ],
    aiReply:
      "You can combine up to two gift cards per order at checkout. If a code is refused, check for a zero versus the letter O; codes are case-insensitive.",
    agentReply:
      "You can combine up to two gift cards per order at checkout. If a code is refused, check for a zero versus the letter O; codes are case-insensitive.",
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
