/**
 * The tone of what a caller said at the 回访, as the operator wrote it down: whether the words say the problem
 * is still there or the caller is unhappy (negative), that it was solved or they are pleased (positive), or
 * neither. Only this tone is published on the ledger (never the note), so that a satisfaction recorded against
 * the caller's own words (满意 over 「还是没人来修」) can be caught by a rule without the text leaving the hotline.
 * Negative phrases are looked for first: 「不满意」 contains 「满意」, 「没有解决」 contains 「解决」.
 */
export type CallbackTone = 'negative' | 'positive' | 'none';

const negative = new RegExp([
  '不满意', '不太满意', '很不满', '(?:没|没有|未|还没|仍未|尚未|并未)(?:有)?(?:解决|处理|修|整改|落实|答复|回复|改善|到位)',
  '没人(?:来|管|处理|理|联系)', '无人(?:处理|理睬|联系)', '(?:问题|情况)(?:还|依然|仍然|依旧)(?:在|存在|没变|一样)', '(?:还是|依然|仍然|依旧)(?:老样子|没|不|一样|存在)',
  '敷衍', '推诿', '踢皮球', '走过场', '应付', '态度(?:差|恶劣|不好)', '照旧', '更严重', '再次投诉', '继续投诉', '要投诉', '不认可', '不同意',
].join('|'));
const positive = /满意|已(?:经)?解决|解决了|处理好了|修好了|已修复|已处理|已整改|(?:感谢|谢谢|辛苦)|很及时|很好|点赞|认可/;

export function toneOf(note: string | null | undefined): CallbackTone {
  if (!note) return 'none';
  if (negative.test(note)) return 'negative';
  return positive.test(note) ? 'positive' : 'none';
}
