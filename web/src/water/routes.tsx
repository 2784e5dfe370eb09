// The water pages' addresses, registered in App's routes.
import type { ReactNode } from 'react';
import { match } from '../router';
import { RunPage } from './RunPage';
import { NewScenarioPage, ScenarioPage } from './ScenarioPage';
import { SweepPage } from './SweepPage';
import { WaterPage } from './WaterPage';
import './water.css';

export function waterPage(pathname: string): ReactNode | null {
  let params: Record<string, string> | null;
  if (pathname === '/water') return <WaterPage />;
  if (pathname === '/water/scenarios/new') return <NewScenarioPage />;
  if ((params = match('/water/scenarios/:id', pathname))) return <ScenarioPage key={params.id} id={params.id!} />;
  if ((params = match('/water/runs/:id', pathname))) return <RunPage key={params.id} id={params.id!} />;
  if ((params = match('/water/sweeps/:id', pathname))) return <SweepPage key={params.id} id={params.id!} />;
  return null;
}
