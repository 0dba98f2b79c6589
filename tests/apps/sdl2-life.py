#!/usr/bin/python3
"""SDL 2 (python3-sdl2) through the window life of life.py."""
import ctypes
import sys

import sdl2

import life

FLAGS = sdl2.SDL_WINDOW_RESIZABLE | sdl2.SDL_WINDOW_BORDERLESS  # own colours only


class Window:
    def __init__(self, title, size, colour):
        self.win = sdl2.SDL_CreateWindow(title.encode(), sdl2.SDL_WINDOWPOS_UNDEFINED,
                                         sdl2.SDL_WINDOWPOS_UNDEFINED, size[0], size[1], FLAGS)
        if not self.win:
            raise RuntimeError(sdl2.SDL_GetError().decode())
        self.id = sdl2.SDL_GetWindowID(self.win)
        self.colour = colour

    def draw(self):
        # The window surface is new after every size change: fetch it each time.
        surface = sdl2.SDL_GetWindowSurface(self.win)
        if not surface:
            raise RuntimeError(sdl2.SDL_GetError().decode())
        pixel = sdl2.SDL_MapRGB(surface.contents.format, *self.colour)
        sdl2.SDL_FillRect(surface, None, pixel)
        sdl2.SDL_UpdateWindowSurface(self.win)

    def destroy(self):
        sdl2.SDL_DestroyWindow(self.win)


class Life:
    def __init__(self):
        self.pacer = life.Pacer()
        self.steps = iter(life.STEPS)
        self.main = self.second = self.dialog = None

    def windows(self):
        return [w for w in (self.main, self.second, self.dialog) if w]

    def do(self, step):
        if step == "open":
            self.main = Window("zc-apps sdl2 main", life.OPEN_SIZE, life.RED)
        elif step == "resize":
            sdl2.SDL_SetWindowSize(self.main.win, *life.RESIZED)
        elif step == "maximize":
            sdl2.SDL_MaximizeWindow(self.main.win)
        elif step == "fullscreen":
            sdl2.SDL_SetWindowFullscreen(self.main.win, sdl2.SDL_WINDOW_FULLSCREEN_DESKTOP)
        elif step == "restore":
            sdl2.SDL_SetWindowFullscreen(self.main.win, 0)
            sdl2.SDL_RestoreWindow(self.main.win)
        elif step == "second":
            self.second = Window("zc-apps sdl2 second", life.SECOND_SIZE, life.MAGENTA)
        elif step == "dialog":
            self.dialog = Window("zc-apps sdl2 dialog", life.DIALOG_SIZE, life.ORANGE)
            # xdg_toplevel.set_parent, sent before the dialog's first frame
            sdl2.SDL_SetWindowModalFor(self.dialog.win, self.main.win)
        elif step == "close":
            self.dialog.destroy()
            self.second.destroy()
            self.second = self.dialog = None
        if step in life.COLOURS:
            self.main.colour = life.COLOURS[step]

    def next_step(self):
        """False once every step is done."""
        step = next(self.steps, None)
        if step is None:
            return False
        self.do(step)
        self.pacer.announce(step)
        return True

    def run(self):
        event = sdl2.SDL_Event()
        dirty = True
        while True:
            if sdl2.SDL_WaitEventTimeout(ctypes.byref(event), 20):
                if event.type == sdl2.SDL_QUIT:
                    return 1
                dirty = dirty or event.type == sdl2.SDL_WINDOWEVENT
                continue
            if dirty:
                for w in self.windows():
                    w.draw()
                dirty = False
            if self.pacer.waiting and not self.pacer.released():
                continue
            if not self.next_step():
                return 0
            dirty = True


def main():
    if sdl2.SDL_Init(sdl2.SDL_INIT_VIDEO) != 0:
        print("sdl2-life:", sdl2.SDL_GetError().decode(), file=sys.stderr)
        return 1
    try:
        status = Life().run()
    except RuntimeError as e:
        print("sdl2-life:", e, file=sys.stderr)
        status = 1
    sdl2.SDL_Quit()
    return status


sys.exit(main())
