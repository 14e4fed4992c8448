// The only file of the text engine that calls OpenGL. GL 1.1 entry points only (exported by
// libGL itself, no loader needed); works in the GL 3.0 context the ImGui backend uses.
#include <GL/gl.h>

#include <vector>

#include "kiosk/text/glyph_atlas.h"

namespace kiosk::text::detail {
namespace {

// Restores the caller's texture binding and unpack state, so ImGui's backend is unaffected.
class SavedTextureState {
 public:
  SavedTextureState() {
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &texture_);
    glGetIntegerv(GL_UNPACK_ALIGNMENT, &alignment_);
    glGetIntegerv(GL_UNPACK_ROW_LENGTH, &row_length_);
  }
  ~SavedTextureState() {
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(texture_));
    glPixelStorei(GL_UNPACK_ALIGNMENT, alignment_);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, row_length_);
  }

 private:
  GLint texture_ = 0, alignment_ = 4, row_length_ = 0;
};

}  // namespace

bool gl_context_is_current() {
  return glGetString(GL_VERSION) != nullptr;
}

unsigned gl_create_texture(int size) {
  SavedTextureState saved;
  GLuint texture = 0;
  glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  std::vector<uint8_t> empty(static_cast<size_t>(size) * size * 4, 0);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, size, size, 0, GL_RGBA, GL_UNSIGNED_BYTE, empty.data());
  return texture;
}

void gl_upload_alpha(unsigned texture, int size, const uint8_t* alpha, int x0, int y0, int x1,
                     int y1) {
  const int w = x1 - x0, h = y1 - y0;
  if (w <= 0 || h <= 0) return;
  std::vector<uint8_t> rgba(static_cast<size_t>(w) * h * 4);
  for (int y = 0; y < h; ++y) {
    const uint8_t* src = alpha + static_cast<size_t>(y0 + y) * size + x0;
    uint8_t* dst = &rgba[static_cast<size_t>(y) * w * 4];
    for (int x = 0; x < w; ++x) {
      dst[x * 4 + 0] = dst[x * 4 + 1] = dst[x * 4 + 2] = 255;
      dst[x * 4 + 3] = src[x];
    }
  }
  SavedTextureState saved;
  glBindTexture(GL_TEXTURE_2D, texture);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexSubImage2D(GL_TEXTURE_2D, 0, x0, y0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
}

void gl_delete_texture(unsigned texture) {
  GLuint name = texture;
  glDeleteTextures(1, &name);
}

}  // namespace kiosk::text::detail
