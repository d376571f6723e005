"""Listeners (vosk, keyboard, WAV, scripted) and speakers (pyttsx3, silent, recording)."""
