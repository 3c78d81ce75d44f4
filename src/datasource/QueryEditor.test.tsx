import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import type { HeadroomDataSource } from './datasource';
import { QueryEditor } from './QueryEditor';
import type { HeadroomQuery } from './types';

function renderEditor(query: HeadroomQuery) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <QueryEditor datasource={{} as HeadroomDataSource} query={query} onChange={onChange} onRunQuery={onRunQuery} />
  );
  return { onChange, onRunQuery };
}

/** A radio button by its label (a label can also name a field: "GPU model" is a filter too). */
const RADIO = { selector: 'input[type="radio"]' };
const radio = (label: string) => screen.getByLabelText(label, RADIO);

describe('QueryEditor', () => {
  it('offers inventory, forecast and capacity, and the four inventory views', () => {
    renderEditor({ refId: 'A' });

    expect(screen.getByLabelText('Inventory')).toBeChecked();
    expect(screen.getByLabelText('Forecast')).toBeInTheDocument();
    expect(screen.getByLabelText('Capacity')).toBeInTheDocument();
    for (const view of ['Fleet', 'By GPU model', 'By namespace', 'Nodes']) {
      expect(screen.getByLabelText(view)).toBeInTheDocument();
    }
    expect(screen.getByLabelText('Fleet')).toBeChecked();
  });

  it('shows the capacity inputs for a capacity query, and a PromQL input only for the PromQL target', () => {
    renderEditor({ refId: 'A', queryType: 'capacity', target: 'expr', expr: 'sum(up)' });

    expect(screen.getByLabelText('PromQL expression')).toHaveValue('sum(up)');
    for (const label of ['Horizon (h)', 'Capacity (GPUs)', 'Target utilisation (%)', 'Cold start (h)']) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(screen.queryByLabelText('Fleet')).not.toBeInTheDocument();
    // Empty throughput follows the target's unit, and empty "Priced as" prices the fleet's own GPU models.
    expect(screen.getByLabelText('Throughput per GPU')).toHaveAttribute('placeholder', 'by unit');
    expect(screen.getByLabelText('Priced as')).toHaveAttribute('placeholder', 'fleet models');
  });

  it('changes the view and runs the query at once', () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'inventory', inventoryView: 'fleet' });

    fireEvent.click(screen.getByLabelText('By namespace'));

    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'inventory', inventoryView: 'byNamespace' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('keeps filter text as typed (template variables included) and runs the query when the field is left', () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', node: '$node' });
    const gpuModel = screen.getByLabelText('GPU model filter');

    expect(screen.getByLabelText('Node filter')).toHaveValue('$node');
    fireEvent.change(gpuModel, { target: { value: '${gpu_model}' } });
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', node: '$node', gpuModel: '${gpu_model}' });
    expect(onRunQuery).not.toHaveBeenCalled();

    fireEvent.blur(gpuModel);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });
});

describe('QueryEditor for fragmentation', () => {
  const VIEWS = ['Summary', 'GPU grid', 'Jobs that fit', 'Over time', 'Defrag plan'];

  it('offers the five fragmentation views, Summary by default, and the workload window, and nothing else', () => {
    renderEditor({ refId: 'A', queryType: 'fragmentation' });

    expect(screen.getByLabelText('Fragmentation')).toBeChecked();
    for (const view of VIEWS) {
      expect(radio(view)).toBeInTheDocument();
    }
    expect(radio('Summary')).toBeChecked();
    expect(screen.getByLabelText('Workload days')).toHaveValue('');
    expect(screen.getByLabelText('Workload days')).toHaveAttribute('placeholder', '7');
    // Neither the inventory's views, the efficiency's nor the forecast's inputs belong to this query.
    for (const other of ['Fleet', 'Waste', 'Forecast target', 'Horizon (h)']) {
      expect(screen.queryByLabelText(other)).not.toBeInTheDocument();
    }
    // The fleet filters apply to every query type.
    expect(screen.getByLabelText('Node filter')).toBeInTheDocument();
  });

  it('shows the saved view and window', () => {
    renderEditor({ refId: 'A', queryType: 'fragmentation', fragmentationView: 'jobsFit', workloadDays: '$days' });

    expect(radio('Jobs that fit')).toBeChecked();
    expect(radio('Summary')).not.toBeChecked();
    expect(screen.getByLabelText('Workload days')).toHaveValue('$days');
  });

  it('runs at once on a view change, and on leaving the workload field after typing', () => {
    const query = { refId: 'A', queryType: 'fragmentation' as const };
    const { onChange, onRunQuery } = renderEditor(query);

    fireEvent.click(radio('Defrag plan'));
    expect(onChange).toHaveBeenLastCalledWith({ ...query, fragmentationView: 'defragPlan' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);

    fireEvent.change(screen.getByLabelText('Workload days'), { target: { value: '14' } });
    expect(onChange).toHaveBeenLastCalledWith({ ...query, workloadDays: '14' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    fireEvent.blur(screen.getByLabelText('Workload days'));
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });
});

describe('QueryEditor for efficiency', () => {
  it('offers the five views with Waste by default, its row grouping and the pricing tier', () => {
    renderEditor({ refId: 'A', queryType: 'efficiency' });

    for (const view of ['Waste', 'MFU', 'Burn', 'Disagreements', 'Spot interruptions']) {
      expect(radio(view)).toBeInTheDocument();
    }
    expect(radio('Waste')).toBeChecked();
    // Rows of the waste table, one per pod by default.
    for (const rows of ['Pod', 'Namespace', 'GPU model']) {
      expect(radio(rows)).toBeInTheDocument();
    }
    expect(radio('Pod')).toBeChecked();
    for (const tier of ['On-demand', 'Reserved', 'Spot']) {
      expect(radio(tier)).toBeInTheDocument();
    }
    expect(radio('On-demand')).toBeChecked();
    expect(screen.queryByLabelText('Workload days')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Summary', RADIO)).not.toBeInTheDocument();
  });

  it('groups rows only in the waste view', () => {
    renderEditor({ refId: 'A', queryType: 'efficiency', efficiencyView: 'mfu', pricingTier: 'reserved' });

    expect(radio('MFU')).toBeChecked();
    expect(screen.queryByLabelText('Pod', RADIO)).not.toBeInTheDocument();
    expect(radio('Reserved')).toBeChecked();
  });

  it('changes view, rows and tier, each running the query at once', () => {
    const query = { refId: 'A', queryType: 'efficiency' as const };
    const { onChange, onRunQuery } = renderEditor(query);

    fireEvent.click(radio('Namespace'));
    expect(onChange).toHaveBeenLastCalledWith({ ...query, wasteGroupBy: 'namespace' });
    fireEvent.click(radio('Spot'));
    expect(onChange).toHaveBeenLastCalledWith({ ...query, pricingTier: 'spot' });
    fireEvent.click(radio('Burn'));
    expect(onChange).toHaveBeenLastCalledWith({ ...query, efficiencyView: 'burn' });
    expect(onRunQuery).toHaveBeenCalledTimes(3);
  });

  it('switches query type from the Query row, keeping the rest of the query', () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'efficiency', wasteGroupBy: 'gpuModel' });

    fireEvent.click(screen.getByLabelText('Fragmentation'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'fragmentation', wasteGroupBy: 'gpuModel' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });
});

describe('QueryEditor for alert queries', () => {
  it('names the measure when switching to Alert, so a saved rule always says what it measures', () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'inventory' });

    fireEvent.click(screen.getByLabelText('Alert'));

    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'alert', measure: 'exhaustionProbability' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('asks the exhaustion probability for its days, target and capacity, not for a horizon or a budget', () => {
    renderEditor({ refId: 'A', queryType: 'alert', measure: 'exhaustionProbability' });

    expect(screen.getByLabelText('Within (days)')).toHaveAttribute('placeholder', '14');
    expect(screen.getByLabelText('Forecast target')).toBeInTheDocument();
    expect(screen.getByLabelText('Capacity (GPUs)')).toBeInTheDocument();
    expect(screen.getByLabelText('Throughput per GPU')).toBeInTheDocument();
    for (const absent of [
      'Horizon (h)',
      'Monthly budget ($)',
      'Workload days',
      'Target utilisation (%)',
      'Priced as',
    ]) {
      expect(screen.queryByLabelText(absent)).not.toBeInTheDocument();
    }
  });

  it('asks days to exhaustion for the horizon instead of days', () => {
    renderEditor({ refId: 'A', queryType: 'alert', measure: 'daysToExhaustion80' });

    expect(screen.getByLabelText('Horizon (h)')).toBeInTheDocument();
    expect(screen.queryByLabelText('Within (days)')).not.toBeInTheDocument();
  });

  it('asks each other measure only for its own inputs', () => {
    const cases: Array<[HeadroomQuery['measure'], string[], string[]]> = [
      ['fragmentedShare', ['Workload days'], ['Forecast target', 'Monthly budget ($)']],
      ['largestGang', ['Workload days'], ['Forecast target', 'On-demand']],
      ['idleGpus', [], ['Workload days', 'On-demand', 'Forecast target']],
      ['idleCostPerHour', ['On-demand'], ['Monthly budget ($)', 'Forecast target']],
      ['budgetRatio', ['On-demand', 'Monthly budget ($)'], ['Workload days', 'Forecast target']],
    ];
    for (const [measure, present, absent] of cases) {
      const { unmount } = render(
        <QueryEditor
          datasource={{} as HeadroomDataSource}
          query={{ refId: 'A', queryType: 'alert', measure }}
          onChange={jest.fn()}
          onRunQuery={jest.fn()}
        />
      );
      for (const label of present) {
        expect(screen.getByLabelText(label)).toBeInTheDocument();
      }
      for (const label of absent) {
        expect(screen.queryByLabelText(label)).not.toBeInTheDocument();
      }
      // The fleet filters narrow every measure.
      expect(screen.getByLabelText('Namespace filter')).toBeInTheDocument();
      unmount();
    }
  });

  it('keeps the typed budget and runs the query when the field is left', () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'alert', measure: 'budgetRatio' });
    const budget = screen.getByLabelText('Monthly budget ($)');

    fireEvent.change(budget, { target: { value: '50000' } });
    expect(onChange).toHaveBeenCalledWith({
      refId: 'A',
      queryType: 'alert',
      measure: 'budgetRatio',
      monthlyBudget: '50000',
    });
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.blur(budget);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });
});
