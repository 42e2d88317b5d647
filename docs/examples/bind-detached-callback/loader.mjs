// The batch loader of docs/rules/bind-detached-callback.md's `cards.mjs` example: `createLoader(fetchMany)` returns an
// object whose `load(key, callback)` keeps the callback in the factory's closure; the first `load` of a round starts
// the round's timer, which calls every waiting callback.
export function createLoader(fetchMany) {
  let waiting = [];
  let scheduled = false;
  const dispatch = async () => {
    const batch = waiting;
    waiting = [];
    scheduled = false;
    const values = await fetchMany(batch.map((b) => b.key));
    batch.forEach((b, i) => b.callback(null, values[i]));
  };
  return {
    load(key, callback) {
      waiting.push({ key, callback });
      if (!scheduled) {
        scheduled = true;
        setTimeout(dispatch, 2);
      }
    },
  };
}
