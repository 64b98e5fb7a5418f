// ratedload: HTTP/1.1 GETs at a fixed rate, for the latency of a server at a given load.
//
// wrk cannot do this. A wrk connection sends its next request when the answer to the last one arrives (plus a Lua delay
// in whole milliseconds). So a stalled answer also delays every request queued behind it, and those requests never
// count as slow ("coordinated omission"). And wrk's millisecond timer sends the delayed requests of a thread in one burst
// per tick, so at half load the server works through a burst in the first half of each millisecond and idles in the
// second. Here, as in wrk2, request k is due at start + k / rate. Its latency counts from that due time, not from when
// it went out, so a server stall counts against every request it held up. When every connection is busy, due requests
// wait in a queue and go out as connections free up.
//
//   gcc -O2 -o /tmp/ratedload bench/quotes/ratedload.c -lm
//   /tmp/ratedload -R 34000 -c 64 -d 20 [-p] [-H 'X-Api-Key: pk_...'] http://127.0.0.1:8081/v1/quotes/AAPL
//
// -p spaces the requests as a Poisson process (independent clients) instead of evenly. The last line of the output has
// the same fields as bench/quotes/wrk-rate.lua, plus late_p99: how late this program itself noticed that the 99th
// percentile request was due (its own scheduling delay; a large value means the figures measure the generator, not
// the server).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNECTIONS 4096
#define BUCKETS 1000000 // 1 µs buckets up to 1 s; slower answers land in the last one (max is kept exactly)
#define QUEUE (1 << 22)
#define ANSWER_BYTES (1 << 18) // room for a comments page with replies; allocated per connection in use

typedef struct
{
    int fd;
    int busy;
    uint64_t due;
    size_t have;
    char *buf;
} connection;

static connection connections[MAX_CONNECTIONS];
static int idle[MAX_CONNECTIONS], idle_count;
static uint64_t queue[QUEUE], queue_head, queue_tail;
static uint32_t latency[BUCKETS], lag[BUCKETS];
static uint64_t completed, non2xx, socket_errors, max_latency;
static char request[4096];
static size_t request_length;
static struct sockaddr_in address;
static int epoll_fd;

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void record(uint32_t *histogram, uint64_t ns)
{
    uint64_t us = ns / 1000;
    histogram[us < BUCKETS ? us : BUCKETS - 1]++;
}

static double percentile_ms(const uint32_t *histogram, uint64_t total, double p)
{
    uint64_t rank = (uint64_t)ceil(total * p / 100.0), seen = 0;
    for (int i = 0; i < BUCKETS; i++)
    {
        seen += histogram[i];
        if (seen >= rank && seen > 0)
        {
            return (i + 1) / 1000.0; // the bucket's upper edge: never reports better than measured
        }
    }
    return 0;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void open_connection(connection *c)
{
    if (c->buf == NULL && (c->buf = malloc(ANSWER_BYTES)) == NULL)
    {
        die("malloc");
    }
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&address, sizeof address) < 0)
    {
        die("connect");
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c->fd, &event) < 0)
    {
        die("epoll_ctl");
    }
    c->busy = 0;
    c->have = 0;
}

static void send_request(connection *c, uint64_t due)
{
    c->busy = 1;
    c->due = due;
    c->have = 0;
    // A request this small always fits the empty socket buffer of an idle connection.
    if (write(c->fd, request, request_length) != (ssize_t)request_length)
    {
        die("write");
    }
}

// Gives a free connection the oldest queued request, or marks it idle.
static void release(connection *c)
{
    c->busy = 0;
    if (queue_head != queue_tail)
    {
        send_request(c, queue[queue_head++ % QUEUE]);
    }
    else
    {
        idle[idle_count++] = (int)(c - connections);
    }
}

// Whether buf holds a whole answer: headers plus Content-Length bytes, or a chunked body up to its last chunk.
static int answer_complete(connection *c)
{
    c->buf[c->have] = 0;
    char *end = strstr(c->buf, "\r\n\r\n");
    if (end == NULL)
    {
        return 0;
    }
    size_t header = (size_t)(end + 4 - c->buf);
    for (char *line = strstr(c->buf, "\r\n"); line != NULL && line < end; line = strstr(line + 2, "\r\n"))
    {
        if (strncasecmp(line + 2, "content-length:", 15) == 0)
        {
            return c->have >= header + strtoul(line + 17, NULL, 10);
        }
    }
    return c->have >= header + 5 && memcmp(c->buf + c->have - 5, "0\r\n\r\n", 5) == 0;
}

static void on_readable(connection *c)
{
    ssize_t n = read(c->fd, c->buf + c->have, ANSWER_BYTES - 1 - c->have);
    if (n <= 0 || !c->busy)
    {
        if (n < 0 && errno == EAGAIN)
        {
            return;
        }
        socket_errors++;
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        open_connection(c);
        release(c);
        return;
    }
    c->have += (size_t)n;
    if (!answer_complete(c))
    {
        if (c->have >= ANSWER_BYTES - 1)
        {
            fprintf(stderr, "answer larger than %d bytes\n", ANSWER_BYTES);
            exit(1);
        }
        return;
    }
    uint64_t took = now_ns() - c->due;
    record(latency, took);
    max_latency = took > max_latency ? took : max_latency;
    completed++;
    if (strncmp(c->buf + 8, " 2", 2) != 0)
    {
        non2xx++;
    }
    release(c);
}

int main(int argc, char **argv)
{
    double rate = 0, seconds = 10;
    int count = 16, poisson = 0, option;
    char headers[2048] = "";
    while ((option = getopt(argc, argv, "R:c:d:H:p")) != -1)
    {
        switch (option)
        {
            case 'R': rate = atof(optarg); break;
            case 'c': count = atoi(optarg); break;
            case 'd': seconds = atof(optarg); break;
            case 'p': poisson = 1; break;
            case 'H':
                strncat(headers, optarg, sizeof headers - strlen(headers) - 3);
                strcat(headers, "\r\n");
                break;
            default: return 2;
        }
    }
    char host[256];
    int port = 80;
    char path[1024] = "/";
    if (optind != argc - 1 || rate <= 0 || count < 1 || count > MAX_CONNECTIONS ||
        sscanf(argv[optind], "http://%255[^:/]:%d%1023s", host, &port, path) < 2)
    {
        fprintf(stderr, "usage: ratedload -R RATE [-c CONNECTIONS] [-d SECONDS] [-p] [-H HEADER]... http://IP:PORT/PATH\n");
        return 2;
    }
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1)
    {
        fprintf(stderr, "the host must be an IPv4 address: %s\n", host);
        return 2;
    }
    request_length = (size_t)snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: %s:%d\r\n%s\r\n", path, host, port, headers);

    // Sleeps end within a microsecond of when asked, not the default 50 µs later.
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    epoll_fd = epoll_create1(0);
    for (int i = 0; i < count; i++)
    {
        open_connection(&connections[i]);
        idle[idle_count++] = i;
    }

    srand48((long)now_ns());
    double interval = 1e9 / rate;
    uint64_t start = now_ns() + 1000000, end = start + (uint64_t)(seconds * 1e9), next = start, planned = 0;
    struct epoll_event events[256];
    for (;;)
    {
        uint64_t now = now_ns();
        while (next <= now && next < end)
        {
            record(lag, now - next);
            if (idle_count > 0)
            {
                send_request(&connections[idle[--idle_count]], next);
            }
            else if (queue_tail - queue_head < QUEUE)
            {
                queue[queue_tail++ % QUEUE] = next;
            }
            else
            {
                fprintf(stderr, "more than %d requests behind schedule: the server cannot keep up\n", QUEUE);
                return 1;
            }
            planned++;
            next = start + (uint64_t)(poisson ? (next - start) - interval * log(1 - drand48()) : planned * interval);
        }
        if (next >= end && completed + socket_errors >= planned)
        {
            break;
        }
        if (now > end + 10000000000u)
        {
            fprintf(stderr, "%lu answers still missing 10 s after the end\n", (unsigned long)(planned - completed));
            break;
        }
        uint64_t wait = next < end && next > now ? next - now : (next < end ? 0 : 1000000);
        struct timespec timeout = {.tv_sec = (time_t)(wait / 1000000000u), .tv_nsec = (long)(wait % 1000000000u)};
        int ready = epoll_pwait2(epoll_fd, events, 256, &timeout, NULL);
        if (ready < 0 && errno != EINTR)
        {
            die("epoll_pwait2");
        }
        for (int i = 0; i < ready; i++)
        {
            on_readable(events[i].data.ptr);
        }
    }
    double took = (now_ns() - start) / 1e9;
    printf("rps=%.0f p50=%.3fms p90=%.3fms p99=%.3fms p99.9=%.3fms max=%.3fms requests=%lu non2xx=%lu socket_errors=%lu late_p99=%.3fms\n",
        completed / (took < seconds ? took : seconds), percentile_ms(latency, completed, 50), percentile_ms(latency, completed, 90),
        percentile_ms(latency, completed, 99), percentile_ms(latency, completed, 99.9), max_latency / 1e6,
        (unsigned long)completed, (unsigned long)non2xx, (unsigned long)socket_errors, percentile_ms(lag, planned, 99));
    return 0;
}
