import CGLFW
import Foundation
import ImageIO
import Render

/// A GLFW window that shows CPU-rendered frames (one renderer for headless and headed use) with glDrawPixels
/// in a default (compatibility) GL context. Keys: space pause/play, n single step, r reset, o overlay,
/// s segmentation, d depth, c policy/free camera, q or Esc quit; left-drag orbits and scroll zooms the free
/// camera. All calls must come from the main thread (GLFW's rule).
public final class ViewerWindow {
    public enum ViewerError: Error, CustomStringConvertible {
        case noDisplay(String)
        public var description: String {
            switch self { case let .noDisplay(m): return "viewer: cannot open a window (\(m)); set DISPLAY or run under xvfb-run" }
        }
    }

    let window: OpaquePointer
    var state = KeyState()

    struct KeyState {
        var paused = true, stepOnce = false, reset = false, quit = false
        var cameraMode = ViewerCameraMode.policy, viewMode = ViewerViewMode.rgb, overlay = true, scroll = 0.0
    }

    public init(title: String, width: Int, height: Int) throws {
        guard ProcessInfo.processInfo.environment["DISPLAY"].map({ !$0.isEmpty }) == true else {
            throw ViewerError.noDisplay("DISPLAY is not set")
        }
        guard glfwInit() != 0 else { throw ViewerError.noDisplay("glfwInit failed") }
        guard let w = glfwCreateWindow(Int32(width), Int32(height), title, nil, nil) else {
            glfwTerminate()
            throw ViewerError.noDisplay("glfwCreateWindow failed")
        }
        window = w
        glfwMakeContextCurrent(w)
        glfwSwapInterval(1)
    }

    deinit {
        glfwDestroyWindow(window)
        glfwTerminate()
    }

    /// Runs until the window closes, `q`/Esc, or `maxFrames` frames (0 = no limit). `grabFirstFrame` writes
    /// the first displayed frame, read back from the window's framebuffer, as a PNG (used by the Xvfb test).
    /// `stepsPerFrame`: actions executed per displayed frame while playing (fast-forward).
    public func run(frameSource source: ViewerFrameSource, maxFrames: Int = 0, grabFirstFrame: URL? = nil,
                    startPlaying: Bool = false, stepsPerFrame: Int = 1) throws {
        state.paused = !startPlaying
        glfwSetWindowUserPointer(window, Unmanaged.passUnretained(self).toOpaque())
        glfwSetKeyCallback(window) { win, key, _, action, _ in
            guard action == GLFW_PRESS, let ptr = glfwGetWindowUserPointer(win) else { return }
            Unmanaged<ViewerWindow>.fromOpaque(ptr).takeUnretainedValue().handleKey(key)
        }
        glfwSetScrollCallback(window) { win, _, dy in
            guard let ptr = glfwGetWindowUserPointer(win) else { return }
            Unmanaged<ViewerWindow>.fromOpaque(ptr).takeUnretainedValue().state.scroll += dy
        }
        var orbit = OrbitCamera(looking: source.policyCamera)
        var lastCursor: (Double, Double)?
        var frames = 0
        var shownHUD = ""
        while glfwWindowShouldClose(window) == 0 && !state.quit {
            glfwPollEvents()
            if state.reset { source.reset(); state.reset = false }
            if !state.paused { for _ in 0..<max(1, stepsPerFrame) { source.step() } }
            if state.paused && state.stepOnce { source.step() }
            state.stepOnce = false
            if source.hud != shownHUD { shownHUD = source.hud; glfwSetWindowTitle(window, shownHUD) }
            var cx = 0.0, cy = 0.0
            glfwGetCursorPos(window, &cx, &cy)
            if glfwGetMouseButton(window, GLFW_MOUSE_BUTTON_LEFT) == GLFW_PRESS, let last = lastCursor {
                orbit.drag(dx: cx - last.0, dy: cy - last.1)
            }
            lastCursor = (cx, cy)
            if state.scroll != 0 { orbit.zoom(state.scroll); state.scroll = 0 }
            var fw: Int32 = 0, fh: Int32 = 0
            glfwGetFramebufferSize(window, &fw, &fh)
            let request = ViewerRequest(cameraMode: state.cameraMode, viewMode: state.viewMode, overlay: state.overlay,
                                        freeCamera: orbit.camera(width: Int(fw), height: Int(fh), like: source.policyCamera))
            let image = source.frame(request)
            draw(image, framebuffer: (Int(fw), Int(fh)))
            if frames == 0, let url = grabFirstFrame { try writePNG(readBack(width: Int(fw), height: Int(fh)), to: url) }
            glfwSwapBuffers(window)
            frames += 1
            if maxFrames > 0 && frames >= maxFrames { break }
        }
    }

    private func handleKey(_ key: Int32) {
        switch key {
        case GLFW_KEY_SPACE: state.paused.toggle()
        case GLFW_KEY_N: state.stepOnce = true
        case GLFW_KEY_R: state.reset = true
        case GLFW_KEY_O: state.overlay.toggle()
        case GLFW_KEY_S: state.viewMode = state.viewMode == .segmentation ? .rgb : .segmentation
        case GLFW_KEY_D: state.viewMode = state.viewMode == .depth ? .rgb : .depth
        case GLFW_KEY_C: state.cameraMode = state.cameraMode == .policy ? .free : .policy
        case GLFW_KEY_Q, GLFW_KEY_ESCAPE: state.quit = true
        default: break
        }
    }

    /// Draws the image top-down, scaled to fill the framebuffer.
    private func draw(_ image: RGBImage, framebuffer: (Int, Int)) {
        glViewport(0, 0, GLsizei(framebuffer.0), GLsizei(framebuffer.1))
        glClearColor(0, 0, 0, 1)
        glClear(GLbitfield(GL_COLOR_BUFFER_BIT))
        glPixelStorei(GLenum(GL_UNPACK_ALIGNMENT), 1)
        glRasterPos2f(-1, 1)
        glPixelZoom(Float(framebuffer.0) / Float(image.width), -Float(framebuffer.1) / Float(image.height))
        image.pixels.withUnsafeBytes {
            glDrawPixels(GLsizei(image.width), GLsizei(image.height), GLenum(GL_RGB), GLenum(GL_UNSIGNED_BYTE), $0.baseAddress)
        }
    }

    /// The back buffer's pixels, rows top to bottom.
    private func readBack(width: Int, height: Int) -> RGBImage {
        var raw = [UInt8](repeating: 0, count: width * height * 3)
        glReadBuffer(GLenum(GL_BACK))
        glPixelStorei(GLenum(GL_PACK_ALIGNMENT), 1)
        raw.withUnsafeMutableBytes { glReadPixels(0, 0, GLsizei(width), GLsizei(height), GLenum(GL_RGB), GLenum(GL_UNSIGNED_BYTE), $0.baseAddress) }
        var flipped = [UInt8](repeating: 0, count: raw.count)
        let row = width * 3
        for y in 0..<height { flipped[(y * row)..<((y + 1) * row)] = raw[((height - 1 - y) * row)..<((height - y) * row)] }
        return RGBImage(width: width, height: height, pixels: flipped)
    }
}
