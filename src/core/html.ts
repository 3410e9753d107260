/** Escapes text for Telegram's HTML parse mode (only <, > and & are special there). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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
