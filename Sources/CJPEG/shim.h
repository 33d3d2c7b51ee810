#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>

/* libjpeg reports fatal errors through error_exit, which must not return; the only safe way out is longjmp.
   Swift cannot call setjmp (returns_twice), so the whole decode lives in this one C function and Swift only
   sees a status code, the message and a malloc'd pixel buffer (freed by the caller with free()). */
struct vlaser_jpeg_error { struct jpeg_error_mgr base; jmp_buf jump; char message[JMSG_LENGTH_MAX]; };

static void vlaser_jpeg_error_exit(j_common_ptr cinfo) {
    struct vlaser_jpeg_error *err = (struct vlaser_jpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->jump, 1);
}

static void vlaser_jpeg_silence(j_common_ptr cinfo, int level) { (void)cinfo; (void)level; }

/* Decodes a JPEG held in memory to 8-bit samples (1 channel for grayscale, 3 for everything else).
   Returns 0 on success; otherwise copies libjpeg's message into `message` (size `message_size`). */
static inline int vlaser_jpeg_decode(const unsigned char *data, unsigned long size, int *width, int *height,
                                     int *channels, unsigned char **pixels, char *message, int message_size) {
    struct jpeg_decompress_struct cinfo;
    struct vlaser_jpeg_error err;
    unsigned char *volatile out = NULL;
    memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = vlaser_jpeg_error_exit;
    err.base.emit_message = vlaser_jpeg_silence;
    err.message[0] = 0;
    if (setjmp(err.jump)) {
        snprintf(message, (size_t)message_size, "%s", err.message);
        jpeg_destroy_decompress(&cinfo);
        free(out);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, size);
    jpeg_read_header(&cinfo, TRUE);
    cinfo.out_color_space = cinfo.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    size_t stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
    out = (unsigned char *)malloc(stride * cinfo.output_height);
    if (!out) { snprintf(message, (size_t)message_size, "out of memory"); jpeg_destroy_decompress(&cinfo); return 1; }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = out + stride * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    *width = (int)cinfo.output_width;
    *height = (int)cinfo.output_height;
    *channels = cinfo.output_components;
    *pixels = out;
    jpeg_destroy_decompress(&cinfo);
    return 0;
}
