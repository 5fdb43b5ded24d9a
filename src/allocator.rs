//! The process's allocator: mimalloc, asked for its plain blocks wherever their
//! natural alignment is the one wanted. The `mimalloc` crate sends every request
//! through `mi_malloc_aligned`, whose checks a build paid on each of its millions of
//! small strings and vectors.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys::{
    mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc, mi_zalloc_aligned,
};

pub struct MiMalloc;

/// Whether a plain mimalloc block is aligned as `align` asks, for `size` bytes: its
/// blocks come in sizes that are multiples of 8 (of 16 above 16) from pages whose
/// first block is 16-aligned.
fn natural(size: usize, align: usize) -> bool {
    align <= 8 || (align == 16 && size.is_multiple_of(16))
}

// SAFETY: each call hands the request to mimalloc's function for it, with the
// alignment asked for whenever a plain block may not have it; `mi_free` takes
// blocks from either.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        unsafe { if natural(size, align) { mi_malloc(size) } else { mi_malloc_aligned(size, align) }.cast() }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        unsafe { if natural(size, align) { mi_zalloc(size) } else { mi_zalloc_aligned(size, align) }.cast() }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let (ptr, align) = (ptr.cast::<c_void>(), layout.align());
        unsafe {
            if natural(new_size, align) { mi_realloc(ptr, new_size) } else { mi_realloc_aligned(ptr, new_size, align) }
                .cast()
        }
    }
}

#[cfg(test)]
mod tests {

    /// Every size up to a few pages, at every alignment up to 4 KB, fresh, zeroed and
    /// grown, comes aligned, sizes that are no multiple of their alignment too (this is
    /// the test binary's allocator as well).
    #[test]
    fn blocks_are_aligned_as_asked() {
        // Imported here: the benchmark, built without the test harness, takes this file.
        use std::alloc::{Layout, alloc, alloc_zeroed, dealloc, realloc};
        for align in (0..13).map(|shift| 1usize << shift) {
            for size in (1..600).chain([1000, 4095, 4096, 70_000]) {
                let layout = Layout::from_size_align(size, align).unwrap();
                unsafe {
                    let zeroed = alloc_zeroed(layout);
                    assert_eq!(zeroed as usize % align, 0, "{layout:?}");
                    assert!(std::slice::from_raw_parts(zeroed, size).iter().all(|&b| b == 0), "{layout:?}");
                    dealloc(zeroed, layout);
                    let block = alloc(layout);
                    assert_eq!(block as usize % align, 0, "{layout:?}");
                    block.write_bytes(7, size);
                    let grown = realloc(block, layout, size * 3);
                    assert_eq!(grown as usize % align, 0, "{layout:?} grown");
                    assert!(std::slice::from_raw_parts(grown, size).iter().all(|&b| b == 7), "{layout:?}");
                    dealloc(grown, Layout::from_size_align(size * 3, align).unwrap());
                }
            }
        }
    }
}
