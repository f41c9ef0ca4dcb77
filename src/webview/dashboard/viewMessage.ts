import type { DashboardHostMessage } from '../../shared/dashboardProtocol';

/** What the page draws: the range's figures, the charts' data and the costliest requests, as the host sent them. */
export type ViewMessage = Extract<DashboardHostMessage, { type: 'view' }>;
