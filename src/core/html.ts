/** Escapes text for Telegram's HTML parse mode (only <, > and & are special there). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The text `escapeHtml` was given back (only its three entities are decoded). */
export function unescapeHtml(s: string): string {
  return s.replace(/&(lt|gt|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', amp: '&' })[name]!);
}

/** Plain text of a Telegram-HTML message, for channels without formatting (Zalo). */
export function htmlToPlain(s: string): string {
  return s
    .replace(/<a href="([^"]*)">([^<]*)<\/a>/g, (_, href: string, text: string) => (href === text ? text : `${text} (${href})`))
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
