// Work sharing between threads: every thread taking part in a kernel claims units of work from one
// shared counter until none are left, so a thread that starts late (or is descheduled on a busy
// machine) simply does less, and the caller never waits for a thread that has not begun.

// @inline
export function claim(counter: usize): i32 {
  if (ASC_FEATURE_THREADS) return atomic.add<i32>(counter, 1);
  const v = load<i32>(counter);
  store<i32>(counter, v + 1);
  return v;
}
