//! Work spread over the machine's cores with the standard library's scoped threads, results in
//! the items' order, so that the output cannot depend on which thread finished first.

/// `f` of every item, in the items' order, on one thread per available core (at most one per
/// `min_per_thread` items), the calling thread among them. The items are taken in small batches
/// as threads come free, so that a thread the machine slows down (a busy or shared machine)
/// leaves more of the work to the others instead of holding them all up. A panic in `f` is
/// resumed on the caller.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    min_per_thread: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let cores = cores();
    let threads = cores.min(items.len() / min_per_thread.max(1)).max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let batch = (items.len() / (threads * 8)).max(1);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let start = next.fetch_add(batch, Ordering::Relaxed);
            if start >= items.len() {
                return done;
            }
            let taken = &items[start..(start + batch).min(items.len())];
            done.push((start, taken.iter().map(&f).collect()));
        }
    };
    let mut batches = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut batches = work();
        for other in others {
            match other.join() {
                Ok(done) => batches.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        batches
    });
    batches.sort_unstable_by_key(|(start, _)| *start);
    batches
        .into_iter()
        .flat_map(|(_, results)| results)
        .collect()
}

/// The threads to use: one per available core.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// `a()` and `b()`, the first on a thread of its own when the machine has more than one core.
/// A panic in either is resumed on the caller.
pub fn join<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    let cores = cores();
    if cores == 1 {
        return (a(), b());
    }
    std::thread::scope(|scope| {
        let first = scope.spawn(a);
        let second = b();
        match first.join() {
            Ok(first) => (first, second),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// `f` of every item on a pool of one thread per available core (the caller's among them),
/// each thread taking the next item as it comes free, so uneven items still finish together
/// when the heaviest come first. Results in the items' order; `None` for an item whose `f`
/// panicked (the panic is printed as usual, and the other items still run).
pub fn pool<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<Option<R>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let taken = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(taken) else {
                return done;
            };
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(item)));
            done.push((taken, result.ok()));
        }
    };
    let threads = cores();
    let mut res: Vec<Option<R>> = items.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads.min(items.len()))
            .map(|_| scope.spawn(work))
            .collect();
        let mut done = work();
        done.extend(
            workers
                .into_iter()
                .filter_map(|worker| worker.join().ok())
                .flatten(),
        );
        for (taken, result) in done {
            res[taken] = result;
        }
    });
    res
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

    #[test]
    fn the_pool_keeps_the_items_order_and_survives_a_panic() {
        let items: Vec<u32> = (0..200).collect();
        let results = super::pool(&items, |item| {
            assert_ne!(*item, 150, "a job's bug");
            item * 3
        });
        assert_eq!(results.len(), 200);
        for (item, result) in items.iter().zip(&results) {
            let expected = (*item != 150).then_some(item * 3);
            assert_eq!(*result, expected);
        }
    }
}
