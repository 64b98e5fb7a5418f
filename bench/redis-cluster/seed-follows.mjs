// Gives one user --followers followers through the REST API, each follow signed as its own user, so that
// bench/redis-cluster/run.sh can read a followers page that the engine built from real follows.
//
//   node seed-follows.mjs --base URL --key KEY --secret SECRET [--user star] [--followers 1000]
import { mapLimited, parseOptions, userToken } from '../docs/deployed/common.mjs';

const options = parseOptions(process.argv.slice(2), { base: undefined, key: undefined, secret: undefined, user: 'star', followers: 1000 });
let followed = 0;
await mapLimited(Array.from({ length: options.followers }, (_, i) => `fan${i}`), 32, async (fan) => {
  const response = await fetch(new URL(`/v1/users/${options.user}/followers/me`, options.base), {
    method: 'PUT',
    headers: { 'X-Api-Key': options.key, Authorization: `Bearer ${userToken(options.secret, fan)}` },
  });
  if (!response.ok) throw new Error(`follow as ${fan}: ${response.status} ${(await response.text()).slice(0, 200)}`);
  followed++;
});
console.log(`followed=${followed}`);
