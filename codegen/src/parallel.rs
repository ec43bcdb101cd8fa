//! Work spread over the machine's cores with the standard library's scoped threads, results in
//! the items' order, so that the output cannot depend on which thread finished first.

/// `f` of every item, in the items' order: the items are cut into one contiguous run per
/// available core (at most one per `min_per_thread` items), the first run on the calling
/// thread. A panic in `f` is resumed on the caller.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    min_per_thread: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let threads = cores.min(items.len() / min_per_thread.max(1)).max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let run = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let mut runs = items.chunks(run);
        let first = runs.next().unwrap_or_default();
        let others: Vec<_> = runs
            .map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut res: Vec<R> = first.iter().map(f).collect();
        for other in others {
            match other.join() {
                Ok(results) => res.extend(results),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        res
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_items_order() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = super::map(&items, 1, |item| item * 2);
        assert_eq!(
            doubled,
            items.iter().map(|item| item * 2).collect::<Vec<_>>()
        );
        assert_eq!(
            super::map(&[] as &[u32], 8, |item| *item),
            Vec::<u32>::new()
        );
        assert_eq!(super::map(&[7u32], 8, |item| *item + 1), vec![8]);
    }
}
