/**
 * Words of a customer message, lower case and without accents, contractions expanded, with
 * emails, links and anything holding a digit (order numbers, amounts, dates) removed: those say
 * which order, not what is asked.
 */
export function tokenizeText(text: string): string[] {
  const cleaned = text
    .slice(0, 8000)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/https?:\/\/\S+|www\.\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+/g, " ")
    .replace(/\b(can|won|shan)'t\b/g, (m) => (m === "won't" ? "will not" : m === "shan't" ? "shall not" : "can not"))
    .replace(/n't\b/g, " not")
    .replace(/'(re|ve|ll|d|m|s)\b/g, " ")
    .replace(/[a-z]*\d[\w-]*/g, " ");
  return cleaned.match(/[a-z]+/g) ?? [];
}

/**
 * Function words and the small talk of support messages: they say nothing about the question.
 * Kept short on purpose: term weights learned from the team's messages (IDF) do the rest.
 */
export const STOPWORDS = new Set(
  (
    "a about above after again against all am an and any are as at be because been before being below between both but by " +
    "could did do does doing down during each few for from further had has have having he her here hers herself him himself his " +
    "how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves " +
    "out over own same she should so some such than that the their theirs them themselves then there these they this those through " +
    "to too under until up very was we were what when where which while who whom why will with would you your yours yourself " +
    "yourselves can cannot may might must shall also still yet ever even really actually basically literally just already " +
    "hi hello hey dear hiya greetings thanks thank thx ty cheers regards kind best sincerely please pls plz sir madam team " +
    "guys folks ok okay yes yeah yep hmm um uh oh wow lol asap urgent urgently quick quickly question questions wondering " +
    "wonder help helping someone somebody anyone anybody something anything thing things stuff get got getting let lets " +
    "know like want wanted wanna need needs needed would could tell told ask asking asked say said sure maybe perhaps " +
    "hope hoping again much many lot lots bit little one two three day days week weeks month months time times today " +
    "yesterday tomorrow ago morning afternoon evening night since soon way really very totally completely honestly"
  ).split(" "),
);
