export async function pool<T>(tasks: (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = [];
  let i = 0;
  async function worker() {
    while (i < tasks.length) {
      const k = i++;
      results[k] = await tasks[k]();
    }
  }
  await Promise.all(Array.from({ length: size }, worker));
  return results;
}
