import { definePolicy } from '../policy.js';

/**
 * Who may manage the roster and take access away. Today only the operator (the command line) does
 * these; the rules say how far an admin's roles would reach once the web dashboard offers them: every
 * unit the target person (or the file's rows) touches must be in the admin's subtree.
 */
export const peoplePolicy = definePolicy('people', {
  import: { who: ['admin'], scope: 'subtree', doc: 'Nhập danh sách người (thêm vai trò) cho các đơn vị trong phạm vi' },
  sync: { who: ['admin'], scope: 'subtree', doc: 'Đồng bộ danh sách: tệp là toàn bộ vai trò của cây đơn vị; ai không còn vai trò bị ngừng truy cập' },
  remove: { who: ['admin'], scope: 'subtree', doc: 'Ngừng truy cập của một người có mọi vai trò trong phạm vi' },
  unlink: { who: ['admin'], scope: 'subtree', doc: 'Bỏ liên kết chat của một người có mọi vai trò trong phạm vi' },
  invite: { who: ['admin'], scope: 'subtree', doc: 'Tạo đường dẫn mời cho người có vai trò trong phạm vi' },
  revokeInvites: { who: ['admin'], scope: 'subtree', doc: 'Thu hồi đường dẫn mời chưa dùng của người có mọi vai trò trong phạm vi' },
  link: { who: 'anyone', scope: 'none', doc: 'Liên kết chat của chính mình bằng đường dẫn mời hoặc chia sẻ số điện thoại' },
  me: { who: 'linked', scope: 'own', doc: 'Xem thông tin và vai trò của chính mình' },
});
