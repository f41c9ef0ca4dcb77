/**
 * Browser entry of the cost dashboard, bundled to dist/webview/dashboard.js.
 * The host serves it with `dashboardHtml` from src/shared/dashboardProtocol.ts.
 */
import { DASHBOARD_ROOT_ID } from '../../shared/dashboardProtocol';
import { DashboardView } from './dashboardView';
import { connectToHost } from './vscodeApi';

new DashboardView(document.getElementById(DASHBOARD_ROOT_ID) ?? document.body, connectToHost());
