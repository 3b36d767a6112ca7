package layer45.customizations.pace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The bucket's arithmetic: full at the start, refilled by time up to its size, in debt past empty. */
class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final TokenBucket bucket = new TokenBucket();

    @Test
    void aFullBucketLetsItsSizeThroughWithoutWaiting() {
        assertEquals(0, bucket.take(1000, 0, 1000, 1000));
        assertEquals(SECOND / 10, bucket.take(100, 0, 1000, 1000), "100 bytes more at 1000 B/s: 100 ms");
    }

    @Test
    void timeRefillsTheBucketButNeverBeyondItsSize() {
        bucket.take(1000, 0, 1000, 1000);
        assertEquals(0, bucket.take(500, SECOND / 2, 1000, 1000), "half a second brought 500 bytes");
        assertEquals(0, bucket.take(1000, 100 * SECOND, 1000, 1000), "a long idle refills to 1000, no more");
        assertEquals(SECOND / 1000, bucket.take(1, 100 * SECOND, 1000, 1000));
    }

    @Test
    void aWaitThatWasServedLeavesTheBucketEmptyNotInDebt() {
        bucket.take(1000, 0, 1000, 1000);
        long wait = bucket.take(2000, 0, 1000, 1000);
        assertEquals(2 * SECOND, wait);
        assertEquals(SECOND / 1000, bucket.take(1, wait, 1000, 1000), "after the full wait only the new byte counts");
    }

    @Test
    void aWaitCutShortLeavesDebtForTheNextChunks() {
        bucket.take(1000, 0, 1000, 1000);
        assertEquals(2 * SECOND, bucket.take(2000, 0, 1000, 1000));
        long servedOnly = SECOND / 4;
        assertEquals(SECOND * 7 / 4 + SECOND / 1000, bucket.take(1, servedOnly, 1000, 1000),
                "1.75 s of debt, plus the new byte");
    }
}
