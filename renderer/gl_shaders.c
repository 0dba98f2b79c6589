/*
 * The programs of the GL renderer: one vertex shader passing a position and
 * a texture coordinate, and fragment variants chosen by gl_shader_flags,
 * built from one source with #defines, each compiled at first use.
 */
#include <stdio.h>

#include "base/log.h"
#include "gl.h"

static const char vertex_source[] =
	"attribute vec2 position;\n"
	"attribute vec2 texcoord;\n"
	"varying vec2 v_texcoord;\n"
	"void main() {\n"
	"	gl_Position = vec4(position, 0.0, 1.0);\n"
	"	v_texcoord = texcoord;\n"
	"}\n";

/* highp where there is one: mediump texture coordinates cannot address
 * single texels of a buffer a few thousand pixels wide. */
static const char fragment_source[] =
	"#ifdef GL_FRAGMENT_PRECISION_HIGH\n"
	"precision highp float;\n"
	"#else\n"
	"precision mediump float;\n"
	"#endif\n"
	"varying vec2 v_texcoord;\n"
	"#ifdef SOLID\n"
	"uniform vec4 color;\n"
	"void main() {\n"
	"	gl_FragColor = color;\n"
	"}\n"
	"#else\n"
	"#ifdef EXTERNAL\n"
	"uniform samplerExternalOES tex;\n"
	"#else\n"
	"uniform sampler2D tex;\n"
	"#endif\n"
	"#ifdef YUV\n"
	"uniform sampler2D tex_u;\n"
	"uniform sampler2D tex_v;\n"
	"uniform vec2 size;\n"
	"uniform vec2 plane_size;\n"
	"uniform vec2 chroma_scale;\n"
	"uniform vec4 y_sel0;\n"
	"uniform vec4 y_sel1;\n"
	"uniform vec4 u_sel;\n"
	"uniform vec4 v_sel;\n"
	"vec4 yuv_texel() {\n"
	"#ifdef PACKED\n"
	/* Explicit texel centres: pixel x reads macropixel x / 2, whose even
	 * or odd luma it is picks the component. */
	"	vec2 p = floor(v_texcoord * size);\n"
	"	float m = floor(p.x * 0.5);\n"
	"	vec4 t = texture2D(tex, (vec2(m, p.y) + 0.5) / plane_size);\n"
	"	float y = dot(t, p.x - 2.0 * m > 0.5 ? y_sel1 : y_sel0);\n"
	"	return vec4(y, dot(t, u_sel), dot(t, v_sel), 1.0);\n"
	"#else\n"
	"	vec2 c = v_texcoord * chroma_scale;\n"
	"	return vec4(dot(texture2D(tex, v_texcoord), y_sel0),\n"
	"		dot(texture2D(tex_u, c), u_sel), dot(texture2D(tex_v, c), v_sel), 1.0);\n"
	"#endif\n"
	"}\n"
	"#endif\n"
	"void main() {\n"
	"#ifdef YUV\n"
	/* BT.601 limited range, zcomp's one encoding (dmabuf.h): the CPU
	 * path's matrix (298, 409, 100, 208, 516 / 256) in floating point. */
	"	vec3 yuv = yuv_texel().xyz - vec3(16.0, 128.0, 128.0) / 255.0;\n"
	"	float l = 1.164383 * yuv.x;\n"
	"	vec3 rgb = vec3(l + 1.596027 * yuv.z, l - 0.391762 * yuv.y - 0.812968 * yuv.z,\n"
	"		l + 2.017232 * yuv.y);\n"
	"	vec4 c = vec4(clamp(rgb, 0.0, 1.0), 1.0);\n"
	"#else\n"
	"	vec4 c = texture2D(tex, v_texcoord);\n"
	"#endif\n"
	"#ifdef SWAP_RB\n"
	"	c = c.bgra;\n"
	"#endif\n"
	"#ifdef OPAQUE\n"
	"	c.a = 1.0;\n"
	"#endif\n"
	"	gl_FragColor = c;\n"
	"}\n"
	"#endif\n";

static GLuint gl_compile(GLenum type, const char *const *sources, GLsizei n)
{
	GLuint shader = glCreateShader(type);
	glShaderSource(shader, n, sources, NULL);
	glCompileShader(shader);
	GLint ok = GL_FALSE;
	glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
	if (ok)
		return shader;
	char log[512] = "";
	glGetShaderInfoLog(shader, sizeof(log), NULL, log);
	zc_err("gl: shader compilation failed: %s", log);
	glDeleteShader(shader);
	return 0;
}

static GLuint gl_link(GLuint vs, GLuint fs)
{
	GLuint prog = glCreateProgram();
	glAttachShader(prog, vs);
	glAttachShader(prog, fs);
	glLinkProgram(prog);
	GLint ok = GL_FALSE;
	glGetProgramiv(prog, GL_LINK_STATUS, &ok);
	if (ok)
		return prog;
	char log[512] = "";
	glGetProgramInfoLog(prog, sizeof(log), NULL, log);
	zc_err("gl: program link failed: %s", log);
	glDeleteProgram(prog);
	return 0;
}

static bool gl_program_build(struct gl_program *prog, uint32_t flags)
{
	char defines[240];
	snprintf(defines, sizeof(defines), "%s%s%s%s%s%s",
		flags & GL_SHADER_EXTERNAL ?
			"#extension GL_OES_EGL_image_external : require\n#define EXTERNAL\n" : "",
		flags & GL_SHADER_SWAP_RB ? "#define SWAP_RB\n" : "",
		flags & GL_SHADER_OPAQUE ? "#define OPAQUE\n" : "",
		flags & GL_SHADER_SOLID ? "#define SOLID\n" : "",
		flags & GL_SHADER_YUV ? "#define YUV\n" : "",
		flags & GL_SHADER_YUV_PACKED ? "#define PACKED\n" : "");
	const char *vs_src[] = { vertex_source };
	const char *fs_src[] = { defines, fragment_source };
	GLuint vs = gl_compile(GL_VERTEX_SHADER, vs_src, 1);
	GLuint fs = vs ? gl_compile(GL_FRAGMENT_SHADER, fs_src, 2) : 0;
	GLuint id = fs ? gl_link(vs, fs) : 0;
	/* Flagged for deletion; they live as long as the program. */
	glDeleteShader(vs);
	glDeleteShader(fs);
	if (!id)
		return false;
	prog->id = id;
	prog->position = glGetAttribLocation(id, "position");
	prog->texcoord = glGetAttribLocation(id, "texcoord");
	prog->sampler = glGetUniformLocation(id, "tex");
	prog->color = glGetUniformLocation(id, "color");
	prog->tex_u = glGetUniformLocation(id, "tex_u");
	prog->tex_v = glGetUniformLocation(id, "tex_v");
	prog->size = glGetUniformLocation(id, "size");
	prog->plane_size = glGetUniformLocation(id, "plane_size");
	prog->chroma_scale = glGetUniformLocation(id, "chroma_scale");
	prog->y_sel0 = glGetUniformLocation(id, "y_sel0");
	prog->y_sel1 = glGetUniformLocation(id, "y_sel1");
	prog->u_sel = glGetUniformLocation(id, "u_sel");
	prog->v_sel = glGetUniformLocation(id, "v_sel");
	return true;
}

const struct gl_program *gl_program_get(struct gl_renderer *gl, uint32_t flags)
{
	if (flags >= GL_SHADER_COUNT)
		return NULL;
	struct gl_program *prog = &gl->programs[flags];
	if (!prog->id && !gl_program_build(prog, flags))
		return NULL;
	return prog;
}

void gl_programs_finish(struct gl_renderer *gl)
{
	for (int i = 0; i < GL_SHADER_COUNT; i++) {
		if (gl->programs[i].id)
			glDeleteProgram(gl->programs[i].id);
		gl->programs[i].id = 0;
	}
}
