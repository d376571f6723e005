#!/usr/bin/env bash
# 安装学习软件，不用上网。Install the tutor from this bundle, with no network at all.
#
#   bash install.sh [OPTIONS]
#
#   --venv DIR     where the tutor goes (default: ~/.local/share/tutor/venv)
#   --bin DIR      where the `tutor` command goes (default: ~/.local/bin)
#   --python PY    the Python to use (default: the first of the bundle's versions found)
#   --kiosk        also start the tutor full-screen whenever this user logs in (a kiosk:
#                  it comes back after a crash; `tutor-kiosk disable` turns it off)
#   --no-launcher  do not write the `tutor` command
#   --system       for the Debian package: no launcher, no learner data, no checks
#
# Installing again, or a newer bundle, keeps every learner's data and log. The previous
# install is kept aside until the new one works, and is put back if anything fails, or if the
# learner data was written by a newer tutor (an old bundle never touches newer data).
# Missing speech or sound is reported with the command that fixes it, but is no failure:
# learners can always answer by keys.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=/dev/null
. "$HERE/bundle.env"

VENV="${XDG_DATA_HOME:-$HOME/.local/share}/tutor/venv"
BIN="$HOME/.local/bin"
PYTHON=""
KIOSK=0
LAUNCHER=1
SYSTEM=0
NEWER_DATA_EXIT=3

say() { printf '%s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
        --venv) VENV="$2"; shift 2 ;;
        --bin) BIN="$2"; shift 2 ;;
        --python) PYTHON="$2"; shift 2 ;;
        --kiosk) KIOSK=1; LAUNCHER=1; shift ;;
        --no-launcher) LAUNCHER=0; shift ;;
        --system) SYSTEM=1; LAUNCHER=0; shift ;;
        -h|--help) usage ;;
        *) say "不认识的选项 (unknown option): $1"; usage ;;
    esac
done
case "$VENV" in /*) ;; *) VENV="$PWD/$VENV" ;; esac

# No index, no configuration, no cache: whatever pip settings this machine has, only the
# bundle's wheels are used, and nothing is looked up on a network.
while read -r variable; do
    unset "$variable"
done < <(compgen -e | grep '^PIP_' || true)
export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_NO_CACHE_DIR=1
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONNOUSERSITE=1

# --- which wheels, which Python ------------------------------------------------------------

case "$(uname -m)" in
    x86_64|amd64) ARCH=x86_64 ;;
    aarch64|arm64) ARCH=aarch64 ;;
    armv7l|armv6l|armhf)
        die "这台电脑是 32 位系统，学习软件需要 64 位系统（树莓派请装 64 位的 Raspberry Pi OS）。" \
            "(32-bit systems are not supported: install a 64-bit OS)" ;;
    *) die "不支持这种电脑 (unsupported machine): $(uname -m)" ;;
esac
[ -d "$HERE/wheels/$ARCH" ] \
    || die "这个安装包里没有 $ARCH 电脑用的软件，请用带 $ARCH 的安装包。(bundle has no $ARCH wheels)"

python_version() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }

find_python() {
    local candidate version wanted
    if [ -n "$PYTHON" ]; then
        printf '%s\n' "$PYTHON"
        return 0
    fi
    for wanted in $BUNDLE_PYTHONS; do
        for candidate in "python$wanted" python3; do
            command -v "$candidate" >/dev/null || continue
            version="$(python_version "$candidate")" || continue
            if [ "$version" = "$wanted" ]; then
                command -v "$candidate"
                return 0
            fi
        done
    done
    return 1
}

PY="$(find_python)" || die \
    "需要 Python（${BUNDLE_PYTHONS// / 或 }）。请运行：sudo apt-get install python3" \
    "(Python ${BUNDLE_PYTHONS// / or } is needed)"
version="$(python_version "$PY")" || die "打不开 Python (cannot run): $PY"
case " $BUNDLE_PYTHONS " in
    *" $version "*) ;;
    *) die "这个安装包只带了 Python ${BUNDLE_PYTHONS// / 和 } 用的软件，这台电脑是 $version。" \
        "(bundle has wheels for Python $BUNDLE_PYTHONS only, not $version)" ;;
esac
if ! "$PY" -c 'import ensurepip, venv' 2>/dev/null; then
    die "缺少 python3-venv。请运行：sudo apt-get install python3-venv" \
        "(python3-venv is missing)"
fi

# --- learner data from a newer tutor: refuse before touching anything ----------------------

# Where the tutor keeps learner data (tutor/content/paths.py: TUTOR_HOME, else platformdirs'
# user data folder). The installed code checks again below; this answers at once.
data_home="${TUTOR_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/tutor}"
if [ "$SYSTEM" -eq 0 ] && [ -f "$data_home/format-version" ]; then
    stamp="$(tr -d '[:space:]' < "$data_home/format-version")"
    if [[ "$stamp" =~ ^[0-9]+$ ]] && [ "$stamp" -gt "$FORMAT_VERSION" ]; then
        say "$data_home 里的学习记录是更新版本的学习软件写的（格式 $stamp，这个安装包只认到" \
            "$FORMAT_VERSION），为了不弄坏记录，没有安装：请用新的安装包。" \
            "(learner data written by a newer tutor: not installed, nothing changed)"
        exit "$NEWER_DATA_EXIT"
    fi
fi

# --- install beside the previous one, keep whichever works ----------------------------------

previous="$VENV.previous"
discard="$VENV.discard"
# An install that was cut off (power cut) left the working one aside: put it back first. One
# cut while an old one was being deleted left it under the discard name: finish deleting.
rm -rf "$discard"
if [ -d "$previous" ]; then
    rm -rf "$VENV"
    mv "$previous" "$VENV"
fi
restore() {
    rm -rf "$VENV"
    if [ -d "$previous" ]; then
        mv "$previous" "$VENV"
        say "原来装的版本还在，没有改动。(the previous install is kept)"
    fi
}
trap 'status=$?; if [ $status -ne 0 ]; then restore; fi; exit $status' EXIT
if [ -e "$VENV" ]; then
    mv "$VENV" "$previous"
fi

say "正在安装学习软件 $TUTOR_VERSION (installing tutor $TUTOR_VERSION) → $VENV"
mkdir -p "$(dirname "$VENV")"
"$PY" -m venv "$VENV"
wheels=()
for wheel in $BUNDLE_MODEL_WHEELS; do
    wheels+=("$HERE/wheels/any/$wheel")
done
if ! "$VENV/bin/python" -m pip install --quiet --no-index \
        --find-links "$HERE/wheels/any" --find-links "$HERE/wheels/$ARCH" \
        "tutor==$TUTOR_VERSION" ${wheels[@]+"${wheels[@]}"}; then
    die "安装失败，什么都没有改动。(install failed; nothing was changed)"
fi

if [ "$SYSTEM" -eq 0 ]; then
    set +e
    "$VENV/bin/python" -m tutor.datahome --check
    status=$?
    set -e
    if [ "$status" -eq "$NEWER_DATA_EXIT" ]; then
        say "这一版不能用这些学习记录，没有安装。(this version cannot use the learner data: not installed)"
        exit "$NEWER_DATA_EXIT"
    fi
    [ "$status" -eq 0 ] || die "检查学习记录失败 (checking the learner data failed)"
fi
# Does it start? In a throwaway home: the tutor may write caches, and the learner data (or,
# for the Debian package, root's home) is no place for a trial run.
trial="$(mktemp -d)"
if ! TUTOR_HOME="$trial" "$VENV/bin/tutor" --version >/dev/null \
        || ! TUTOR_HOME="$trial" "$VENV/bin/tutor" lessons list >/dev/null; then
    rm -rf "$trial"
    die "装好的学习软件打不开，什么都没有改动。(the new install does not start; nothing changed)"
fi
rm -rf "$trial"

# The new install works: from here on it stays (one rename decides, then the old one goes).
trap - EXIT
if [ -d "$previous" ]; then
    mv "$previous" "$discard"
    rm -rf "$discard"
fi
if [ "$SYSTEM" -eq 0 ]; then
    "$VENV/bin/python" -m tutor.datahome --existing \
        || die "学习记录升级失败 (upgrading the learner data failed)"
    for model in "$HERE"/models/*; do
        [ -e "$model" ] || continue
        say "安装语音模型 (installing speech model): $(basename "$model")"
        "$VENV/bin/tutor" voices install "$model" \
            || say "这个语音模型没装上，学员可以按数字键回答。(model not installed; keys still work)"
    done
fi

# --- the `tutor` command, and the kiosk -----------------------------------------------------

MARK="# written by the tutor's install.sh"
write_command() {
    local target="$1" body="$2"
    if [ -e "$target" ] && ! grep -qF "$MARK" "$target"; then
        say "$target 已经有了，不是学习软件写的，没有改它。($target exists: left alone)"
        return 0
    fi
    printf '#!/bin/sh\n%s\n%s\n' "$MARK" "$body" > "$target.new"
    chmod 755 "$target.new"
    mv "$target.new" "$target"
}

if [ "$LAUNCHER" -eq 1 ]; then
    mkdir -p "$BIN"
    write_command "$BIN/tutor" "exec \"$VENV/bin/tutor\" \"\$@\""
    case ":$PATH:" in
        *":$BIN:"*) ;;
        *) say "提示：$BIN 还不在 PATH 里，重新登录一次后就能直接输入 tutor。" \
            "(log in again so that $BIN is on PATH; until then run $BIN/tutor)" ;;
    esac
fi
if [ "$KIOSK" -eq 1 ]; then
    # The kiosk launchers sit beside the `tutor` command, which they run.
    cp "$HERE/kiosk/tutor-kiosk" "$HERE/kiosk/tutor-kiosk-run" "$BIN/"
    chmod 755 "$BIN/tutor-kiosk" "$BIN/tutor-kiosk-run"
    "$BIN/tutor-kiosk" enable
fi

# --- what is missing for speech and sound (never a failure) ----------------------------------

if [ "$SYSTEM" -eq 0 ]; then
    missing=()
    command -v espeak-ng >/dev/null || missing+=(espeak-ng)
    command -v sox >/dev/null || missing+=(sox)
    portaudio=1
    if ! "$VENV/bin/python" -c \
            'import ctypes.util, sys; sys.exit(ctypes.util.find_library("portaudio") is None)'; then
        missing+=(libportaudio2)
        portaudio=0
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        say "缺少：${missing[*]}。没有它们学习软件不能说话，学员还能看字、按键学。"
        say "  请运行：sudo apt-get install ${missing[*]}"
        say "  (missing ${missing[*]}: no speech until installed; keys still work)"
    fi
    if [ "$portaudio" -eq 1 ]; then
        device() {
            "$VENV/bin/python" -c \
                "import sounddevice as s; s.query_devices(kind='$1')" >/dev/null 2>&1
        }
        if ! device output; then
            say "没有找到能发声的设备：请插上音箱或耳机。学员还能看字、按键学。"
            say "  检查：aplay -l（没有这个命令就运行 sudo apt-get install alsa-utils）；"
            say "  声音权限：sudo usermod -aG audio ${USER:-$(id -un)}，然后重新登录。"
            say "  (no sound output device: plug in speakers; keys and text still work)"
        fi
        if ! device input; then
            say "没有找到麦克风：插上麦克风就能用说话回答，现在学员按数字键回答。"
            say "  (no microphone: learners answer by keys)"
        fi
    fi
fi

say "装好了：学习软件 $TUTOR_VERSION。开始学习请输入：tutor"
say "(installed tutor $TUTOR_VERSION; start it with: tutor)"
