//! Work spread over the machine's cores on rayon's pool, results in the items' order, so that
//! the output cannot depend on which thread finished first. The pool's threads are started once
//! and serve every phase: a phase that started threads of its own (the standard library's
//! scoped threads, as this did before) had its second thread start 0.1-4 ms late on a 2-core
//! VM, and each new thread began with an empty allocator heap (`BENCHMARKS.md`).

/// `f` of every item, in the items' order, on the pool (serially when there are fewer than
/// `min_per_thread` items per core). The items are split in batches down to an eighth of a
/// thread's share, which idle threads steal, so that a thread the machine slows down (a busy or
/// shared machine) leaves more of the work to the others instead of holding them all up. A
/// panic in `f` is resumed on the caller.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    min_per_thread: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    use rayon::prelude::*;
    let cores = cores();
    let threads = cores.min(items.len() / min_per_thread.max(1)).max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let batch = (items.len() / (threads * 8)).max(1);
    items.par_iter().with_min_len(batch).map(&f).collect()
}

/// The threads to use: those of rayon's pool, one per available core (`RAYON_NUM_THREADS`
/// sets another number).
fn cores() -> usize {
    rayon::current_num_threads()
}

/// `a()` and `b()`, on two of the pool's threads when the machine has more than one core. A
/// panic in either is resumed on the caller.
pub fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if cores() == 1 {
        return (a(), b());
    }
    let (second, first) = rayon::join(b, a);
    (first, second)
}

/// `f` of every item on the pool's threads, each taking the next item as it comes free, so
/// uneven items still finish together when the heaviest come first. Results in the items' order; `None` for an item whose `f`
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
    let threads = cores().min(items.len()).max(1);
    let done = std::sync::Mutex::new(Vec::new());
    rayon::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|_| {
                let mine = work();
                done.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .extend(mine);
            });
        }
        let mine = work();
        done.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(mine);
    });
    let mut res: Vec<Option<R>> = items.iter().map(|_| None).collect();
    for (taken, result) in done
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        res[taken] = result;
    }
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
