// Waits for a clean-up step at most `ms`: leaving or deleting a consumer group that is still
// joining can take a session timeout, and an interrupted tool must not hang on it.
export async function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
