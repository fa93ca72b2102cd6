// SPDX-License-Identifier: GPL-2.0-only
/*
 * top.c - pvsplit top: a live view of every pvsplit device in this domain,
 * both ends, per device and per ring, busiest device first, refreshed
 * every -d seconds.  Plain ANSI (home, clear) on a terminal; columns are
 * dropped, least useful first, and device names cut to fit any width.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char top_usage[] =
"usage: pvsplit top [-d SECONDS] [--once] [-n FRAMES] [--width COLUMNS]\n"
"Every pvsplit device of this domain (back ends in dom0, front ends in a\n"
"guest) and its rings, busiest first, over each interval (-d, default 1 s,\n"
"0.1-3600): requests/s, MB/s, mean batch size, notifications (sent and\n"
"received) per request, p50/p99 latency, errors (total), state.\n"
"--once: one frame after one interval, with no terminal control, for\n"
"scripts; -n: stop after that many frames.  --width: the columns to fit\n"
"(default: the terminal's, or $COLUMNS; unlimited when not a terminal).\n"
"Per-ring figures need debugfs (root, /sys/kernel/debug).\n";

/**
 * pvs_fmt_count() - a rate in at most 6 characters: 12.3, 999, 1.23k, 45.6M
 * @buf: result
 * @n: its size
 * @v: the value; negative: "-"
 *
 * Return: what snprintf() returns.
 */
int pvs_fmt_count(char *buf, size_t n, double v)
{
	static const char sfx[] = " kMGT";
	unsigned int i = 0;

	if (v < 0 || isnan(v))
		return snprintf(buf, n, "-");
	if (v < 100)
		return snprintf(buf, n, "%.1f", v);
	while (v >= 999.5 && i < sizeof(sfx) - 2) {
		v /= 1000;
		i++;
	}
	if (!i)
		return snprintf(buf, n, "%.0f", v);
	if (v < 9.995)
		return snprintf(buf, n, "%.2f%c", v, sfx[i]);
	if (v < 99.95)
		return snprintf(buf, n, "%.1f%c", v, sfx[i]);
	return snprintf(buf, n, "%.0f%c", v, sfx[i]);
}

/**
 * pvs_fmt_ns() - a latency: 850ns, 12.3us, 4.1ms, 1.20s; "-" when negative
 * @buf: result
 * @n: its size
 * @ns: nanoseconds
 *
 * Return: what snprintf() returns.
 */
int pvs_fmt_ns(char *buf, size_t n, double ns)
{
	if (ns < 0 || isnan(ns))
		return snprintf(buf, n, "-");
	if (ns < 999.5)
		return snprintf(buf, n, "%.0fns", ns);
	if (ns < 999.95e3)
		return snprintf(buf, n, "%.1fus", ns / 1e3);
	if (ns < 999.95e6)
		return snprintf(buf, n, "%.1fms", ns / 1e6);
	return snprintf(buf, n, "%.2fs", ns / 1e9);
}

enum {
	C_NAME, C_END, C_DOM, C_STATE, C_REQ, C_MB, C_BATCH, C_NTF, C_P50,
	C_P99, C_ERR, NR_COLS
};

/*
 * The columns in screen order; @keep: the higher, the later a column is
 * dropped when the screen is narrow (the name never is).
 */
static const struct {
	const char *head;
	unsigned int width, keep;
	bool left;
} cols[NR_COLS] = {
	[C_NAME] = { "DEVICE", 0, 99, true },
	[C_END] = { "END", 5, 4, true },
	[C_DOM] = { "DOM", 5, 5, false },
	[C_STATE] = { "STATE", 12, 7, true },
	[C_REQ] = { "REQ/S", 7, 10, false },
	[C_MB] = { "MB/S", 7, 9, false },
	[C_BATCH] = { "BATCH", 6, 2, false },
	[C_NTF] = { "NTF/REQ", 7, 1, false },
	[C_P50] = { "P50", 7, 3, false },
	[C_P99] = { "P99", 7, 8, false },
	[C_ERR] = { "ERR", 6, 6, false },
};

#define NAME_MIN	6

struct layout {
	bool on[NR_COLS];
	unsigned int name_w;
};

/* Which columns fit in @width (0: all) with names up to @name_w long. */
static void plan_layout(struct layout *l, unsigned int width,
			unsigned int name_w)
{
	unsigned int i, total;

	for (i = 0; i < NR_COLS; i++)
		l->on[i] = true;
	l->name_w = name_w < NAME_MIN ? NAME_MIN : name_w;
	if (!width)
		return;
	for (;;) {
		unsigned int drop = NR_COLS, best = 100;

		total = l->name_w;
		for (i = 1; i < NR_COLS; i++)
			if (l->on[i])
				total += 1 + cols[i].width;
		if (total <= width)
			return;
		/* the name shrinks to its minimum before a column goes */
		if (l->name_w > NAME_MIN && total - width <= l->name_w - NAME_MIN) {
			l->name_w -= total - width;
			return;
		}
		for (i = 1; i < NR_COLS; i++)
			if (l->on[i] && cols[i].keep < best) {
				best = cols[i].keep;
				drop = i;
			}
		if (drop == NR_COLS || cols[drop].keep >= cols[C_REQ].keep) {
			/* only the name and requests/s left: cut the name */
			l->name_w = width > cols[C_REQ].width + 1 + 1 ?
				    width - cols[C_REQ].width - 1 : 1;
			return;
		}
		l->on[drop] = false;
	}
}

/* One row: @cell[i] for the columns in @l, cut to fit. */
static void put_row(FILE *f, const struct layout *l, char cell[][32])
{
	unsigned int i;
	bool first = true;

	for (i = 0; i < NR_COLS; i++) {
		unsigned int w = i == C_NAME ? l->name_w : cols[i].width;

		if (!l->on[i])
			continue;
		if (!first)
			fputc(' ', f);
		first = false;
		if (strlen(cell[i]) > w)
			cell[i][w] = '\0';
		if (cols[i].left && i == NR_COLS - 1)
			fputs(cell[i], f);
		else
			fprintf(f, cols[i].left ? "%-*s" : "%*s", (int)w, cell[i]);
	}
	/* no trailing blanks: a narrow terminal must not wrap */
	fputc('\n', f);
}

static void rate_cells(char cell[][32], const struct pvs_rate *r,
		       uint64_t errors)
{
	pvs_fmt_count(cell[C_REQ], 32, r->req_s);
	if (r->mb_s < 0)
		snprintf(cell[C_MB], 32, "-");
	else if (r->mb_s < 10000)
		snprintf(cell[C_MB], 32, "%.1f", r->mb_s);
	else
		snprintf(cell[C_MB], 32, "%.0f", r->mb_s);
	if (r->batch < 0)
		snprintf(cell[C_BATCH], 32, "-");
	else
		snprintf(cell[C_BATCH], 32, "%.1f", r->batch);
	if (r->ntf_req < 0)
		snprintf(cell[C_NTF], 32, "-");
	else
		snprintf(cell[C_NTF], 32, "%.2f", r->ntf_req);
	pvs_fmt_ns(cell[C_P50], 32, r->p50_ns);
	pvs_fmt_ns(cell[C_P99], 32, r->p99_ns);
	pvs_fmt_count(cell[C_ERR], 32, (double)errors);
	if (errors < 100)
		snprintf(cell[C_ERR], 32, "%llu", (unsigned long long)errors);
}

/**
 * pvs_top_render() - one frame of the view
 * @f: output
 * @s: the sample, rates set, in the order to show
 * @width: columns to fit, 0 for no limit
 * @interval: seconds the rates cover, for the title
 */
void pvs_top_render(FILE *f, const struct pvs_sample *s, unsigned int width,
		    double interval)
{
	char cell[NR_COLS][32], title[160];
	unsigned int i, j, name_w = strlen(cols[C_NAME].head);
	struct layout l;

	for (i = 0; i < s->nr_devs; i++) {
		size_t n = strlen(s->devs[i].name);

		if (n > name_w)
			name_w = (unsigned int)n;
	}
	name_w = name_w < 10 ? 10 : name_w;
	plan_layout(&l, width, name_w);

	snprintf(title, sizeof(title),
		 "pvsplit top: %u device%s, rates over %.1f s, busiest first",
		 s->nr_devs, s->nr_devs == 1 ? "" : "s", interval);
	if (width && strlen(title) > width)
		title[width] = '\0';
	fprintf(f, "%s\n", title);
	for (i = 0; i < NR_COLS; i++)
		snprintf(cell[i], 32, "%s", cols[i].head);
	put_row(f, &l, cell);

	for (i = 0; i < s->nr_devs; i++) {
		const struct pvs_sdev *d = &s->devs[i];

		snprintf(cell[C_NAME], 32, "%.31s", d->name);
		snprintf(cell[C_END], 32, "%s", d->drv->back ? "back" : "front");
		if (d->domid < 0)
			snprintf(cell[C_DOM], 32, "?");
		else
			snprintf(cell[C_DOM], 32, "%d", d->domid);
		/* the driver's own state says more than Connected */
		snprintf(cell[C_STATE], 32, "%s",
			 d->broken ? "broken" : d->detail[0] ? d->detail : d->state);
		rate_cells(cell, &d->rate, d->errors);
		put_row(f, &l, cell);
		for (j = 0; j < d->nr_rings; j++) {
			const struct pvs_ring *r = &d->rings[j];

			snprintf(cell[C_NAME], 32, "  %s%u",
				 d->drv->ring_prefix ? d->drv->ring_prefix : "ring",
				 r->index);
			cell[C_END][0] = cell[C_DOM][0] = '\0';
			snprintf(cell[C_STATE], 32, "%s", r->broken ? "broken" : "");
			rate_cells(cell, &r->rate, r->errors);
			put_row(f, &l, cell);
		}
	}
	if (!s->nr_devs)
		fputs("(no pvsplit devices in this domain)\n", f);
}

/* The width to fit: --width, the terminal's, $COLUMNS, else none. */
static unsigned int screen_width(long forced)
{
	struct winsize ws;
	unsigned long v;
	const char *c;

	if (forced >= 0)
		return (unsigned int)forced;
	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) &&
	    ws.ws_col)
		return ws.ws_col;
	c = getenv("COLUMNS");
	if (c && !pvs_parse_uint(c, 100000, &v))
		return (unsigned int)v;
	return 0;
}

static void sleep_s(double secs)
{
	struct timespec ts = {
		.tv_sec = (time_t)secs,
		.tv_nsec = (long)((secs - (double)(time_t)secs) * 1e9),
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int pvs_cmd_top(int argc, char **argv)
{
	struct pvs_opt opts[] = {
		PVS_OPT("help", false), PVS_OPT("once", false),
		PVS_OPT_SHORT("delay", 'd', true),
		PVS_OPT_SHORT("frames", 'n', true), PVS_OPT("width", true),
	};
	struct pvs_sample prev, cur;
	struct pvs_collect c;
	const char *pos[1], *v;
	unsigned long frames = 0, done = 0, w;
	long width = -1;
	unsigned int npos;
	double delay = 1.0;
	bool once, tty;
	char *end;
	int ret;

	ret = pvs_cmd_args(argc, argv, opts, ARRAY_SIZE(opts), pos, 0, 0,
			   &npos, top_usage);
	if (ret >= 0)
		return ret;
	v = pvs_opt(opts, ARRAY_SIZE(opts), "delay");
	if (v) {
		errno = 0;
		delay = strtod(v, &end);
		if (errno || end == v || *end || !(delay >= 0.1 && delay <= 3600)) {
			pvs_err("top: -d takes seconds, 0.1 to 3600");
			return PVS_EXIT_USAGE;
		}
	}
	v = pvs_opt(opts, ARRAY_SIZE(opts), "frames");
	if (v && (pvs_parse_uint(v, 1000000, &frames) || !frames)) {
		pvs_err("top: -n takes a number of frames, at least 1");
		return PVS_EXIT_USAGE;
	}
	v = pvs_opt(opts, ARRAY_SIZE(opts), "width");
	if (v) {
		if (pvs_parse_uint(v, 100000, &w)) {
			pvs_err("top: --width takes a number of columns");
			return PVS_EXIT_USAGE;
		}
		width = (long)w;
	}
	once = pvs_opt(opts, ARRAY_SIZE(opts), "once");
	if (once)
		frames = 1;
	tty = !once && isatty(STDOUT_FILENO);

	pvs_collect_init(&c, pvs_root(), pvs_self_domid());
	ret = pvs_collect(&c, &prev, pvs_now_ns());
	if (ret) {
		pvs_err("top: reading sysfs: %s", strerror(-ret));
		return PVS_EXIT_FAIL;
	}
	for (;;) {
		sleep_s(delay);
		ret = pvs_collect(&c, &cur, pvs_now_ns());
		if (ret) {
			pvs_err("top: reading sysfs: %s", strerror(-ret));
			pvs_sample_free(&prev);
			return PVS_EXIT_FAIL;
		}
		pvs_rates(&cur, &prev);
		pvs_sort_by_load(&cur);
		if (tty)
			fputs("\033[H\033[2J", stdout);
		else if (done)
			fputc('\n', stdout);
		pvs_top_render(stdout, &cur, screen_width(width),
			       (cur.t_ns - prev.t_ns) / 1e9);
		fflush(stdout);
		pvs_sample_free(&prev);
		prev = cur;
		if (frames && ++done >= frames)
			break;
	}
	pvs_sample_free(&prev);
	return 0;
}
