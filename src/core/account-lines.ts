/**
 * The account lines as the backend's sync Job parses them (base_sync.py: organizations split
 * at the last space; sync_users.py: users split on single spaces into exactly three fields).
 * A line that does not parse is skipped here: the point is to know which accounts exist.
 */
export interface ParsedAccounts {
  users: Array<{ name: string; channel: string }>;
  incoming: Array<{ name: string }>;
  outgoing: Array<{ name: string }>;
}

const lines = (text: string | undefined) => (text ?? '').split(/\r\n|\r|\n/).filter((l) => l !== '');

export function accountsFromLines(data: Partial<Record<'users' | 'incoming_organizations' | 'outgoing_organizations', string>>): ParsedAccounts {
  const organizations = (text: string | undefined) =>
    lines(text).flatMap((line) => {
      const at = line.lastIndexOf(' ');
      return at === -1 ? [] : [{ name: line.slice(0, at) }];
    });
  return {
    users: lines(data.users).flatMap((line) => {
      const fields = line.split(' ');
      return fields.length === 3 ? [{ name: fields[0] as string, channel: fields[2] as string }] : [];
    }),
    incoming: organizations(data.incoming_organizations),
    outgoing: organizations(data.outgoing_organizations),
  };
}
