// stalls: how often this CPU stops running an idle, ready thread for more than a millisecond, and for how long.
//
// A thread sleeps 100 µs at a time and times each sleep. On an idle CPU a sleep overshoots by microseconds; an
// overshoot of milliseconds means the CPU did not run the thread when its timer fired (a hypervisor taking the vCPU,
// a kernel worker, an interrupt storm). Every server on that CPU stalls the same way, and a server at utilization U
// then needs about U / (1 - U) times the stall again to work off the requests that queued meanwhile; so these
// stalls set a floor under any latency percentile that falls inside them.
//
// With "spin" as the second argument the thread never sleeps and times the gap between two clock reads instead: a
// vCPU kept busy is stopped only when something takes it away. Stalls in the sleeping mode that the spinning mode does
// not see are the delays of waking an idle (halted) vCPU, which a server meets whenever it has drained its queue.
//
//   gcc -O2 -o /tmp/stalls bench/quotes/stalls.c
//   taskset -c 0 /tmp/stalls 10          # seconds; prints one summary line
//   taskset -c 0 /tmp/stalls 10 spin
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 10;
    int spin = argc > 2 && strcmp(argv[2], "spin") == 0;
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    struct timespec nap = {.tv_sec = 0, .tv_nsec = 100000};
    uint64_t start = now_ns(), end = start + (uint64_t)(seconds * 1e9), stalled = 0, longest = 0;
    unsigned count = 0;
    char at[4096] = "";
    while (now_ns() < end)
    {
        uint64_t before = now_ns();
        if (!spin)
        {
            nanosleep(&nap, NULL);
        }

        uint64_t overshoot = now_ns() - before - (spin ? 0 : 100000);
        if (overshoot > 1000000)
        {
            count++;
            stalled += overshoot;
            longest = overshoot > longest ? overshoot : longest;
            size_t used = strlen(at);
            if (used < sizeof at - 32)
            {
                snprintf(at + used, sizeof at - used, " %.0f:%.1f", (before - start) / 1e6, overshoot / 1e6);
            }
        }
    }
    printf("stalls>1ms=%u stalled=%.1fms longest=%.1fms per_second=%.1f at(ms:ms)=%s\n", count, stalled / 1e6, longest / 1e6,
        count / seconds, at);
    return 0;
}
