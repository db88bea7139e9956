import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Clock, IdGenerator, systemContext } from '@app/common';
import { IdentityService, Role, userDecider, userStream } from '@app/identity';
import { LogDatabase } from '@app/event-store';
import { AggregateStore } from '@app/platform';
import { advisoryListings, DemoListing, VALUE_ADDED_LISTINGS } from './demo-catalog';

/**
 * Demo data for a newcomer: staff accounts (admin, product manager, compliance officer, advisor) with generated
 * passwords printed once, and a catalog published through the real HTTP routes and review workflow (the product manager
 * drafts and submits, the compliance officer approves, the product manager publishes). Running it again changes
 * nothing: accounts are found by email, listings by title.
 */
export const DEMO_STAFF: readonly { role: Role; email: string; displayName: string }[] = [
  { role: 'admin', email: 'demo-admin@example.com', displayName: '演示管理员' },
  { role: 'product_manager', email: 'demo-pm@example.com', displayName: '产品经理 王芳' },
  { role: 'compliance_officer', email: 'demo-compliance@example.com', displayName: '合规专员 赵强' },
  { role: 'advisor', email: 'demo-advisor@example.com', displayName: '投资顾问 李明' },
];
const ADVISOR_SAC_CODE = 'S0260611080001';

interface StaffAccount {
  readonly role: Role;
  readonly email: string;
  readonly userId: string;
  readonly token: string;
  /** Only when created by this run. */
  readonly password?: string;
}

export interface DemoSeedResult {
  readonly staff: readonly StaffAccount[];
  readonly listings: readonly { title: string; listingId: string; created: boolean }[];
}

const staffAccount = async (app: INestApplication, member: (typeof DEMO_STAFF)[number]): Promise<StaffAccount> => {
  const identity = app.get(IdentityService);
  const { rows } = await app
    .get(LogDatabase)
    .query<{ user_id: string }>('SELECT user_id FROM credentials WHERE lower(email) = lower($1)', [member.email]);
  let userId = rows[0]?.user_id;
  let password: string | undefined;
  if (!userId) {
    password = randomBytes(12).toString('base64url');
    const context = systemContext(app.get(Clock).now(), app.get(IdGenerator).next());
    ({ userId } = await identity.register(
      { email: member.email, password, displayName: member.displayName, roles: [member.role] },
      context,
    ));
  }
  const { state } = await app.get(AggregateStore).load(userDecider, userStream(userId));
  const roles = state.status === 'registered' ? state.roles : [];
  if (!roles.includes(member.role))
    throw new Error(`${member.email} exists without the ${member.role} role; give it the role or remove the account`);
  const { accessToken } = await identity.tokenFor(userId, app.get(Clock).now());
  return { role: member.role, email: member.email, userId, token: accessToken, password };
};

export const seedDemo = async (app: INestApplication, baseUrl: string): Promise<DemoSeedResult> => {
  const staff: StaffAccount[] = [];
  for (const member of DEMO_STAFF) staff.push(await staffAccount(app, member));
  const tokenOf = (role: Role) => staff.find((account) => account.role === role)!.token;

  const call = async (method: string, path: string, role: Role, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokenOf(role)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };

  const existing = new Map<string, string>();
  for (let offset = 0; ; offset += 100) {
    const page = (await call('GET', `/catalog/manage/listings?limit=100&offset=${offset}`, 'product_manager')) as {
      items: { listingId: string; title: string }[];
    };
    for (const item of page.items) existing.set(item.title, item.listingId);
    if (page.items.length < 100) break;
  }

  const advisor = staff.find((account) => account.role === 'advisor')!;
  const catalog: DemoListing[] = [
    ...VALUE_ADDED_LISTINGS,
    ...advisoryListings({ advisorId: advisor.userId, name: '李明', sacRegistrationCode: ADVISOR_SAC_CODE }),
  ];
  const listings: DemoSeedResult['listings'][number][] = [];
  for (const listing of catalog) {
    const known = existing.get(listing.title);
    if (known) {
      listings.push({ title: listing.title, listingId: known, created: false });
      continue;
    }
    const { listingId } = (await call('POST', '/catalog/listings', 'product_manager', listing)) as { listingId: string };
    await call('POST', `/catalog/listings/${listingId}/submit`, 'product_manager');
    await call('POST', `/catalog/listings/${listingId}/approve`, 'compliance_officer', {
      confirmedFamily: listing.advisory ? 'advisory' : 'value_added',
      note: 'demo data: reviewed against L1–L4',
    });
    await call('POST', `/catalog/listings/${listingId}/publish`, 'product_manager');
    listings.push({ title: listing.title, listingId, created: true });
  }
  return { staff, listings };
};
