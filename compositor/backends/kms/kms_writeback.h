#ifndef ZC_KMS_WRITEBACK_H
#define ZC_KMS_WRITEBACK_H

/*
 * Reading back what a KMS output's CRTC really scans out, through a writeback
 * connector (vkms has one; most real hardware does not). For screen capture
 * (ext-image-copy-capture) where it exists: the result is the composed frame
 * as the display hardware saw it, planes included.
 *
 * A capture rides on the output's next commit (one is forced when nothing
 * changes); the kernel writes the frame into a dumb buffer and signals a
 * fence, and done() runs from the event loop. Until then the output's next
 * frame waits: the frame being read back stays on screen.
 */

#include <stdbool.h>
#include <time.h>

struct zc_buffer;
struct zc_output;
struct kms_writeback_job;

/* frame: an XRGB8888 buffer of the output's size, readable with
 * buffer_begin_cpu_access(); valid during the call only (buffer_lock it to
 * keep it, buffer_unlock when done). NULL when the capture failed or the
 * output went away. when: the moment the frame was complete. */
typedef void (*kms_writeback_done_fn)(void *data, struct zc_buffer *frame,
	const struct timespec *when);

/* Whether output is a KMS output with a writeback connector on its CRTC. */
bool kms_writeback_available(struct zc_output *output);

/* Captures the next frame output scans out; NULL when unavailable or out of
 * memory. done is called exactly once unless the job is cancelled first. */
struct kms_writeback_job *kms_writeback_capture(struct zc_output *output,
	kms_writeback_done_fn done, void *data);
void kms_writeback_cancel(struct kms_writeback_job *job);

#endif
