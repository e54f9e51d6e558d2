/** Preload entry: exposes `window.taskdeck` (never ipcRenderer itself). */
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './bridge.js';

contextBridge.exposeInMainWorld('taskdeck', buildBridge(ipcRenderer));
