const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' });
const dayMonthYear = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** Dates already put in words: an email lists many actions, mostly due on a few hundred distinct days. */
const inWords = new Map<string, string>();

/** "Friday 13 March 2026", as GOV.UK writes dates. */
export function dateInWords(isoDate: string): string {
  let words = inWords.get(isoDate);
  if (words === undefined) {
    const d = new Date(`${isoDate}T00:00:00Z`);
    words = `${weekday.format(d)} ${dayMonthYear.format(d)}`;
    if (inWords.size >= 10_000) inWords.clear();
    inWords.set(isoDate, words);
  }
  return words;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}
