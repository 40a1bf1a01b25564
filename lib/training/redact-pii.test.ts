import { describe, expect, it } from "vitest";
import { redactPii } from "@/lib/training/redact-pii";

describe("redactPii", () => {
  it("replaces emails", () => {
    expect(redactPii("Mail me at ann.lee+x@mail.example.org or bob@example.com.").text).toBe("Mail me at [EMAIL] or [EMAIL].");
  });

  it("replaces card numbers that pass the Luhn check, and only those", () => {
    const { text, counts } = redactPii("Card 4111 1111 1111 1111 and 5500-0000-0000-0004; tracking 1234 5678 9012 3456");
    expect(text).toBe("Card [CARD] and [CARD]; tracking 1234 5678 9012 3456");
    expect(counts.CARD).toBe(2);
  });

  it("replaces IBANs with a valid mod-97 checksum, and only those", () => {
    expect(redactPii("Refund to DE89 3704 0044 0532 0130 00 please").text).toBe("Refund to [IBAN] please");
    expect(redactPii("GB82WEST12345698765432").text).toBe("[IBAN]");
    expect(redactPii("Code DE00 3704 0044 0532 0130 00").text).not.toContain("[IBAN]");
  });

  it("replaces phone numbers in common formats", () => {
    for (const phone of ["+44 20 7946 0958", "+1 (555) 123-4567", "(555) 123-4567", "555-123-4567", "020 7946 0958", "0049 30 901820"]) {
      expect(redactPii(`Call me on ${phone} today`).text).toBe("Call me on [PHONE] today");
    }
  });

  it("leaves ordinary numbers alone", () => {
    const text = "It took 3-5 days, cost $49.99, and 2 items of 12 arrived in 2024.";
    expect(redactPii(text).text).toBe(text);
  });

  it("replaces order and account ids by the default patterns", () => {
    expect(redactPii("Where is order #12345? Also Order 99881 and account ACC-88812.").text).toBe(
      "Where is order [ORDER_ID]? Also Order [ORDER_ID] and account [ORDER_ID].",
    );
    expect(redactPii("Please place the order before Friday").text).toBe("Please place the order before Friday");
  });

  it("uses configured id patterns instead of the defaults", () => {
    expect(redactPii("Ticket ZD-40001, order #12345", { idPatterns: ["\\bZD-\\d+"] }).text).toBe("Ticket [ORDER_ID], order #12345");
  });

  it("replaces recognisable postal addresses", () => {
    expect(redactPii("Send it to 221B Baker Street, London NW1 6XE instead").text).toBe("Send it to [ADDRESS] instead");
    expect(redactPii("I live at 1600 Amphitheatre Parkway, Mountain View, CA 94043.").text).toBe("I live at [ADDRESS].");
    expect(redactPii("Lieferung an Hauptstraße 5, 10115 Berlin bitte").text).toBe("Lieferung an [ADDRESS] bitte");
    expect(redactPii("au 12 rue de la Paix").text).toBe("au [ADDRESS]");
  });

  it("replaces the names the helpdesk gave, whole or in parts", () => {
    const { text, counts } = redactPii("Hi, Jane Roe here. Jane again: Mr Roe is my husband. Janet is not me.", { names: ["Jane Roe"] });
    expect(text).toBe("Hi, [NAME] here. [NAME] again: Mr [NAME] is my husband. Janet is not me.");
    expect(counts.NAME).toBe(3);
    expect(redactPii("Hi Chloé", { names: ["Chloé Dubois", null] }).text).toBe("Hi [NAME]");
  });

  it("counts every kind and handles all of them in one text", () => {
    const { text, counts } = redactPii(
      "I'm Jane Roe (jane.roe@example.org, +44 20 7946 0958). Card 4111111111111111 was charged twice for order #48213; IBAN DE89370400440532013000. 221B Baker Street, London NW1 6XE.",
      { names: ["Jane Roe"] },
    );
    expect(text).toBe("I'm [NAME] ([EMAIL], [PHONE]). Card [CARD] was charged twice for order [ORDER_ID]; IBAN [IBAN]. [ADDRESS].");
    expect(counts).toEqual({ NAME: 1, EMAIL: 1, PHONE: 1, CARD: 1, ORDER_ID: 1, IBAN: 1, ADDRESS: 1 });
  });
});
