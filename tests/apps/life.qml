// Qt 6 (Debian's qml runner) through the window life of life.py, whose
// table this repeats:  qml life.qml -- GO_FILE
// Each step is printed ("phase NAME", with QT_MESSAGE_PATTERN=%{message})
// and the next one waits until the driver writes NAME into GO_FILE.
import QtQuick
import QtQuick.Window

Window {
    id: main
    title: "zc-apps qt6 main"
    width: 320
    height: 240
    visible: true
    flags: Qt.Window | Qt.FramelessWindowHint // the test measures the client's own colours
    color: "#e02020"

    property var steps: ["open", "resize", "maximize", "fullscreen", "restore", "second",
        "dialog", "close"]
    property int step: -1
    property var second: null
    property var dialog: null
    readonly property string goFile: Qt.application.arguments[Qt.application.arguments.length - 1]

    Component {
        id: secondWindow
        Window {
            title: "zc-apps qt6 second"
            width: 200
            height: 150
            visible: true
            flags: Qt.Window | Qt.FramelessWindowHint
            color: "#c020c0"
        }
    }

    Component {
        id: dialogWindow
        Window {
            title: "zc-apps qt6 dialog"
            transientParent: main // xdg_toplevel.set_parent
            width: 160
            height: 100
            visible: true
            flags: Qt.Dialog | Qt.FramelessWindowHint
            color: "#e08020"
        }
    }

    function released() {
        var req = new XMLHttpRequest();
        req.open("GET", "file://" + goFile, false);
        req.send();
        return req.responseText.trim() === steps[step];
    }

    function act(name) {
        if (name === "resize") {
            width = 400; height = 300; color = "#e0e020";
        } else if (name === "maximize") {
            showMaximized(); color = "#20c020";
        } else if (name === "fullscreen") {
            showFullScreen(); color = "#2020e0";
        } else if (name === "restore") {
            showNormal(); color = "#20c0c0";
        } else if (name === "second") {
            second = secondWindow.createObject(null); // no parent: no transient parent
        } else if (name === "dialog") {
            dialog = dialogWindow.createObject(main);
        } else if (name === "close") {
            dialog.destroy();
            second.destroy();
        }
    }

    Timer {
        interval: 20
        running: true
        repeat: true
        onTriggered: {
            if (main.step >= 0 && !main.released())
                return;
            main.step++;
            if (main.step === main.steps.length) {
                running = false;
                Qt.quit();
                return;
            }
            main.act(main.steps[main.step]);
            console.info("phase " + main.steps[main.step]);
        }
    }
}
